"""Hearth: scheduled, facilitated peer support circles online."""

from service.app import create_app

__all__ = ["create_app"]
