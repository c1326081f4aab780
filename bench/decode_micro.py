"""Decoding speed of a generated client: bytes -> typed objects, as a ratio to ``json.loads`` alone; encoding too.

Runnable alone (``.venv/bin/python bench/decode_micro.py``). It generates a package from the spec below (a
chat API's message list: authors, mentions, attachments, embeds with fields, reactions, date-times, open
enums, optional and nullable fields; about 8 of each model's ~11 declared fields present), makes 1,000 and
100,000 items of it as JSON bytes, and times, with the garbage collector on:

- ``json.loads`` of the bytes alone;
- the bytes parsed and decoded into models as the run-time's ``Engine.read`` does it (the collector
  paused around both, unless ``--no-pause``), then one allocation, so that the young collection a pause
  defers is counted too;
- ``ListOf(ModelOf(Message)).decode`` on the parsed JSON alone (the models' share);
- encoding: the decoded models back to JSON-ready data, ``to_dict`` per item (as a client encodes a body),
  as a ratio to ``json.dumps`` of that same data (which turns it into text; the run-time stops short of it).

Each figure is the median of ``--runs`` repetitions (interleaved, so that a slow moment of this shared
machine hits every column alike). ``--serde FILE`` and ``--runtime FILE`` put another ``_serde.py`` or
``_runtime.py`` into the generated package (e.g. ``git show REV:generator/runtime/_serde.py``), to compare
run-times on the same data (one with no ``CollectorPause`` runs without it). ``--heap N`` first allocates N long-lived objects in the process, as a
client that holds many objects has them (full collections then cost more).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SPEC = """\
openapi: 3.0.3
info: {title: Chat Bench, version: "1.0"}
servers: [{url: "https://chat.example.com/api"}]
paths:
  /channels/{channel}/messages:
    get:
      operationId: listMessages
      parameters:
        - {name: channel, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: The channel's messages.
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Message"}}
components:
  schemas:
    MessageType: {type: integer, enum: [0, 1, 2, 3, 19]}
    EmbedType: {type: string, enum: [rich, image, video, link]}
    User:
      type: object
      required: [id, username]
      properties:
        id: {type: string}
        username: {type: string}
        discriminator: {type: string}
        global_name: {type: string, nullable: true}
        avatar: {type: string, nullable: true}
        bot: {type: boolean}
        public_flags: {type: integer}
        banner_color: {type: string, nullable: true}
    Attachment:
      type: object
      required: [id, filename, size, url]
      properties:
        id: {type: string}
        filename: {type: string}
        content_type: {type: string}
        size: {type: integer}
        url: {type: string}
        proxy_url: {type: string}
        width: {type: integer, nullable: true}
        height: {type: integer, nullable: true}
        ephemeral: {type: boolean}
    EmbedField:
      type: object
      required: [name, value]
      properties:
        name: {type: string}
        value: {type: string}
        inline: {type: boolean}
    Embed:
      type: object
      properties:
        title: {type: string}
        type: {$ref: "#/components/schemas/EmbedType"}
        description: {type: string}
        url: {type: string}
        timestamp: {type: string, format: date-time}
        color: {type: integer}
        fields: {type: array, items: {$ref: "#/components/schemas/EmbedField"}}
    Emoji:
      type: object
      required: [name]
      properties:
        id: {type: string, nullable: true}
        name: {type: string}
        animated: {type: boolean}
    Reaction:
      type: object
      required: [count, me, emoji]
      properties:
        count: {type: integer}
        me: {type: boolean}
        emoji: {$ref: "#/components/schemas/Emoji"}
    Message:
      type: object
      required: [id, channel_id, author, content, timestamp, type]
      properties:
        id: {type: string}
        channel_id: {type: string}
        author: {$ref: "#/components/schemas/User"}
        content: {type: string}
        timestamp: {type: string, format: date-time}
        edited_timestamp: {type: string, format: date-time, nullable: true}
        tts: {type: boolean}
        mention_everyone: {type: boolean}
        mentions: {type: array, items: {$ref: "#/components/schemas/User"}}
        attachments: {type: array, items: {$ref: "#/components/schemas/Attachment"}}
        embeds: {type: array, items: {$ref: "#/components/schemas/Embed"}}
        reactions: {type: array, items: {$ref: "#/components/schemas/Reaction"}}
        pinned: {type: boolean}
        type: {$ref: "#/components/schemas/MessageType"}
        flags: {type: integer}
        score: {type: number}
"""


def _user(rng: random.Random, i: int) -> dict[str, Any]:
    user: dict[str, Any] = {"id": str(10**17 + i), "username": f"user{i}", "discriminator": "0"}
    user["global_name"] = None if rng.random() < 0.3 else f"User {i}"
    user["avatar"] = None if rng.random() < 0.2 else f"{rng.getrandbits(128):032x}"
    if rng.random() < 0.1:
        user["bot"] = True
    user["public_flags"] = rng.choice([0, 64, 128, 256])
    return user


def _message(rng: random.Random, i: int) -> dict[str, Any]:
    day, second = 1 + i % 28, i % 86_400
    stamp = f"2024-03-{day:02d}T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}.{i % 1000:03d}000+00:00"
    message: dict[str, Any] = {
        "id": str(2 * 10**17 + i),
        "channel_id": "123456789012345678",
        "author": _user(rng, rng.randrange(500)),
        "content": " ".join(rng.choice(["hello", "world", "ship", "it", "today", "ok", "merge"]) for _ in range(rng.randrange(1, 12))),
        "timestamp": stamp,
        "edited_timestamp": None if rng.random() < 0.8 else stamp,
        "tts": False,
        "mention_everyone": False,
        "mentions": [_user(rng, rng.randrange(500)) for _ in range(rng.choice([0, 0, 1, 2]))],
        "attachments": [],
        "embeds": [],
        "pinned": rng.random() < 0.02,
        "type": rng.choice([0, 0, 0, 19, 7]),  # 7: a value the spec does not list (open enum)
    }
    if rng.random() < 0.3:
        message["attachments"].append(
            {
                "id": str(3 * 10**17 + i),
                "filename": f"image{i}.png",
                "size": rng.randrange(1, 10**7),
                "url": f"https://cdn.example.com/a/{i}/image.png",
                "proxy_url": f"https://media.example.com/a/{i}/image.png",
                "width": rng.choice([None, 640, 1280]),
                "height": rng.choice([None, 480, 720]),
                "content_type": "image/png",
            }
        )
    if rng.random() < 0.2:
        message["embeds"].append(
            {
                "type": rng.choice(["rich", "link", "gifv"]),  # gifv: unlisted
                "title": "A title",
                "url": "https://example.com/page",
                "timestamp": stamp,
                "color": rng.randrange(1 << 24),
                "fields": [{"name": f"f{k}", "value": "v", "inline": k % 2 == 0} for k in range(rng.randrange(3))],
            }
        )
    if rng.random() < 0.4:
        message["reactions"] = [
            {"count": rng.randrange(1, 9), "me": False, "emoji": {"id": None, "name": rng.choice(["👍", "🎉", "❤️"])}}
            for _ in range(rng.randrange(1, 3))
        ]
    if rng.random() < 0.5:
        message["flags"] = 0
    if rng.random() < 0.1:
        message["nonce"] = str(i)  # a field the spec does not declare: kept
    return message


def generate(serde: Path | None, runtime: Path | None, out: Path) -> Any:
    from connectorsmith.pipeline import generate as generate_spec

    spec = out / "chat_bench.yaml"
    spec.write_text(SPEC, "utf-8")
    result = generate_spec(spec)
    assert result.ok, [d.render() for d in result.diagnostics]
    for path, text in result.files.items():
        target = out / "gen" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    [package_dir] = [p.parent for p in (out / "gen").rglob("_serde.py")]
    for replacement, name in ((serde, "_serde.py"), (runtime, "_runtime.py")):
        if replacement is not None:
            (package_dir / name).write_bytes(replacement.read_bytes())
    sys.path.insert(0, str(package_dir.parent))
    package = importlib.import_module(package_dir.name)
    importlib.import_module(package_dir.name + ".models")
    return package


class _Allocation:
    pass


def _timer(run: Callable[[], object]) -> Callable[[], float]:
    def timed() -> float:
        start = time.perf_counter()
        run()
        _Allocation()  # an object of no free list: a collection the run deferred runs here, counted
        return time.perf_counter() - start

    return timed


def measure(package: Any, items: int, runs: int, pause: bool) -> dict[str, float]:
    serde, runtime, models = package._serde, package._runtime, package.models
    rng = random.Random(items)
    body = json.dumps([_message(rng, i) for i in range(items)]).encode()
    codec = serde.ListOf(serde.ModelOf(lambda: models.Message))
    if hasattr(runtime, "CollectorPause"):
        runtime.PAUSE_COLLECTOR = pause

        def response() -> object:
            with runtime.CollectorPause():
                return codec.decode(runtime.parse_json(body), "response")

    else:  # an older run-time: what its Transport.read did

        def response() -> object:
            return codec.decode(runtime.parse_json(body), "response")

    parsed = json.loads(body)
    objects = codec.decode(parsed, "response")
    data = [m.to_dict() for m in objects]
    assert len(data) == items
    columns = {
        "json.loads": _timer(lambda: json.loads(body)),
        "bytes -> models": _timer(response),
        "models only": _timer(lambda: codec.decode(parsed, "response")),
        "models -> data": _timer(lambda: [m.to_dict() for m in objects]),
        "json.dumps": _timer(lambda: json.dumps(data)),
    }
    assert len(response()) == items  # type: ignore[arg-type]
    times: dict[str, list[float]] = {name: [] for name in columns}
    for _ in range(runs):
        for name, timed in columns.items():
            times[name].append(timed())
    result = {name: statistics.median(values) for name, values in times.items()}
    result["MB"] = len(body) / 1e6
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--serde", type=Path, help="another _serde.py to put into the package")
    parser.add_argument("--runtime", type=Path, help="another _runtime.py to put into the package")
    parser.add_argument("--sizes", default="1000,100000", help="item counts (default 1000,100000)")
    parser.add_argument("--runs", type=int, default=0, help="repetitions (default: 41 for 1,000 items, 7 above)")
    parser.add_argument("--heap", type=int, default=0, help="long-lived objects to hold first (default 0)")
    parser.add_argument("--no-pause", action="store_true", help="leave the collector running during decodes")
    args = parser.parse_args()
    held = [[i] for i in range(args.heap)]  # noqa: F841 - kept alive: the caller's heap
    with tempfile.TemporaryDirectory() as folder:
        package = generate(args.serde, args.runtime, Path(folder))
        print(f"collector {'on' if gc.isenabled() else 'off'}; held objects: {args.heap:,}")
        print(
            "| items | MB | json.loads | bytes -> models | ratio to json.loads | models only"
            " | models -> data (encode) | json.dumps of that data | encode's ratio to json.dumps |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for size in (int(s) for s in args.sizes.split(",")):
            runs = args.runs or (41 if size <= 10_000 else 7)
            r = measure(package, size, runs, not args.no_pause)
            print(
                f"| {size:,} | {r['MB']:.1f} | {r['json.loads'] * 1e3:.2f} ms | {r['bytes -> models'] * 1e3:.2f} ms"
                f" | {r['bytes -> models'] / r['json.loads']:.2f}× | {r['models only'] * 1e3:.2f} ms"
                f" | {r['models -> data'] * 1e3:.2f} ms | {r['json.dumps'] * 1e3:.2f} ms"
                f" | {r['models -> data'] / r['json.dumps']:.2f}× |",
                flush=True,
            )


if __name__ == "__main__":
    main()
