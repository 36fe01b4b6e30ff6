"""marshmallow schemas: validation and the shape of every API payload."""
