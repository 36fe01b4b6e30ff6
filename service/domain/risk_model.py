"""The chat risk-language model: a fine-tuned MiniLM in ONNX, read with onnxruntime and tokenizers.

The files under `service/data/risk_model/` are built by `risk_model/build.py` (see its
docstring); nothing is downloaded. A message longer than the model's window is read in
overlapping windows, and each output is the highest over them, so risk in one clause of a long
message is not averaged away. It logs nothing and keeps no text: the text is the author's (the
readings of recent identical texts are remembered by a keyed digest, see `Readings`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

MODEL_DIR = Path(__file__).resolve().parent.parent / "data" / "risk_model"
# Windows overlap by a quarter so that no clause is only ever seen cut in two.
_OVERLAP = 4
# Short identical lines ("thank you", "same here") come often in a circle's chat; a few hundred
# recent readings are enough to catch them and weigh a few hundred KiB.
READINGS_KEPT = 512


class RiskModelError(RuntimeError):
    """The model files are missing or unusable; the message says which."""


@dataclass(frozen=True)
class Reading:
    """The model's view of one message: how likely it is risky, and each category's likelihood."""

    risky: float
    categories: dict[str, float]


class Readings:
    """The readings of the last `kept` distinct texts, found by a digest keyed for this process only.

    No text is kept, and a digest cannot be checked against a guessed text outside the process.
    """

    def __init__(self, kept: int = READINGS_KEPT) -> None:
        self._kept = kept
        self._key = os.urandom(16)
        self._by_digest: OrderedDict[bytes, Reading] = OrderedDict()
        self._lock = threading.Lock()

    def digest(self, text: str) -> bytes:
        return hashlib.blake2b(text.encode(), key=self._key, digest_size=16).digest()

    def get(self, digest: bytes) -> Reading | None:
        with self._lock:
            reading = self._by_digest.get(digest)
            if reading is not None:
                self._by_digest.move_to_end(digest)
            return reading

    def put(self, digest: bytes, reading: Reading) -> None:
        with self._lock:
            self._by_digest[digest] = reading
            while len(self._by_digest) > self._kept:
                self._by_digest.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._by_digest.clear()


class RiskModel:
    """A loaded model; `read` is safe to call from many threads."""

    def __init__(self, directory: Path = MODEL_DIR) -> None:
        try:
            settings = json.loads((directory / "model.json").read_text(encoding="utf-8"))
            self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
            # The file pads and cuts every message to 128 tokens; `read` makes its own windows.
            self._tokenizer.no_padding()
            self._tokenizer.no_truncation()
            options = ort.SessionOptions()
            # One thread per message: the server runs many at once on few cores.
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            self._session = ort.InferenceSession(
                str(directory / "model.onnx"), options, providers=["CPUExecutionProvider"]
            )
        except (OSError, ValueError, RuntimeError, ort.capi.onnxruntime_pybind11_state.Fail) as error:
            raise RiskModelError(f"The risk model in {directory} cannot be loaded: {error}") from error
        self.categories: tuple[str, ...] = tuple(settings["categories"])
        self.risky_threshold: float = settings["risky_threshold"]
        self.category_threshold: float = settings["category_threshold"]
        self._window = settings["max_tokens"] - 2
        self._cls = self._tokenizer.token_to_id("[CLS]")
        self._sep = self._tokenizer.token_to_id("[SEP]")
        self._pad = self._tokenizer.token_to_id("[PAD]")
        self.readings = Readings()

    def read(self, text: str) -> Reading:
        """The likelihoods for `text`, the highest over its windows (a recent identical text: remembered)."""
        digest = self.readings.digest(text)
        reading = self.readings.get(digest)
        if reading is None:
            reading = self._read(text)
            self.readings.put(digest, reading)
        return reading

    def _read(self, text: str) -> Reading:
        ids = self._tokenizer.encode(text, add_special_tokens=False).ids
        windows = self._windows(ids)
        width = max(len(w) for w in windows) + 2
        input_ids = np.full((len(windows), width), self._pad, dtype=np.int64)
        mask = np.zeros((len(windows), width), dtype=np.int64)
        for row, window in enumerate(windows):
            tokens = [self._cls, *window, self._sep]
            input_ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        outputs = self._session.run(None, {"input_ids": input_ids, "attention_mask": mask})[0]
        probabilities = outputs.max(axis=0)
        return Reading(
            float(probabilities[0]),
            {c: float(p) for c, p in zip(self.categories, probabilities[1:], strict=True)},
        )

    def _windows(self, ids: list[int]) -> list[list[int]]:
        if len(ids) <= self._window:
            return [ids]
        stride = self._window - self._window // _OVERLAP
        starts = range(0, len(ids) - self._window + stride, stride)
        return [ids[start : start + self._window] for start in starts]


@functools.cache
def model() -> RiskModel:
    """The shipped model, loaded once per process."""
    return RiskModel()
