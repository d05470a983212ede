#!/usr/bin/env python3
"""Builds src/Switchboard/Catalog/catalog.json from the catalog's inputs.

Inputs (see catalog/sources/README.md):
  catalog/curated.json   hand-curated providers and models (kept as they are)
  catalog/overlay.json   new providers, data policies, aliases, retirements, deprecations, fixes
  catalog/sources/openrouter-models-*.json       OpenRouter GET /api/v1/models snapshot
  catalog/sources/litellm-model-prices-*.json    LiteLLM model_prices_and_context_window.json

Usage: python3 catalog/build_catalog.py [--check]
  --check  exit 1 if the written file would differ from the one on disk (nothing is written)

Deterministic: no clock, no network, sorted iteration, exact decimals. Running it twice gives the same bytes.
"""
import hashlib
import json
import re
import sys
from collections import defaultdict
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent
REPO = ROOT.parent
OUT = REPO / "src" / "Switchboard" / "Catalog" / "catalog.json"
MANIFEST = ROOT / "sources" / "manifest.json"

OPENROUTER_SOURCE = "openrouter-2026-08-01"
LITELLM_SOURCE = "litellm-2026-07-24"
CURATED_SOURCE = "curated-2026-11-01"

INPUT_MODALITIES = ("text", "image", "file", "audio")
OUTPUT_MODALITIES = ("text", "image")
MILLION = Decimal(1_000_000)


# ---------------------------------------------------------------- numbers

def dec(value):
    """A price from either source as an exact Decimal (LiteLLM floats go through their shortest repr)."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        value = repr(value)
    return Decimal(str(value))


def per_million(value):
    d = dec(value)
    if d is None or d < 0:
        return None
    # OpenRouter's strings sometimes carry float noise (0.0000006000000000000001); 12 places per token is plenty.
    return clean(d * MILLION)


def clean(d):
    d = d.quantize(Decimal("0.000001")) if d.as_tuple().exponent < -6 else d
    d = d.normalize()
    return d if d != 0 else Decimal(0)


class Num(float):
    """Carries a Decimal to the JSON writer so it prints exactly, without exponent or float artefacts."""


def encode(obj, indent=0):
    pad = "  " * indent
    inner = "  " * (indent + 1)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {encode(v, indent + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if not obj:
            return "[]"
        if all(isinstance(x, str) for x in obj):
            return "[\n" + ",\n".join(inner + json.dumps(x, ensure_ascii=False) for x in obj) + "\n" + pad + "]"
        return "[\n" + ",\n".join(inner + encode(x, indent + 1) for x in obj) + "\n" + pad + "]"
    if isinstance(obj, Decimal):
        s = format(obj.normalize(), "f")
        return s
    if isinstance(obj, bool) or obj is None or isinstance(obj, (int, str)):
        return json.dumps(obj, ensure_ascii=False)
    if isinstance(obj, float):
        return format(Decimal(repr(obj)).normalize(), "f")
    raise TypeError(type(obj))


def num(d):
    return d if isinstance(d, Decimal) else dec(d)


# ---------------------------------------------------------------- inputs

def load_inputs():
    manifest = json.loads(MANIFEST.read_text())
    paths = {}
    for entry in manifest["files"]:
        path = ROOT / "sources" / entry["file"]
        if not path.exists():
            sys.exit(f"missing source {path}: fetch it from {entry['raw_url']} (see catalog/sources/README.md)")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != entry["sha256"]:
            sys.exit(f"{path} has sha256 {digest}, the manifest pins {entry['sha256']}")
        paths[entry["kind"]] = path
    curated = json.loads((ROOT / "curated.json").read_text())
    overlay = json.loads((ROOT / "overlay.json").read_text())
    openrouter = json.loads(paths["openrouter"].read_text())["data"]
    litellm = json.loads(paths["litellm"].read_text())
    return curated, overlay, openrouter, litellm


# ---------------------------------------------------------------- text helpers

def tidy_description(text):
    """OpenRouter's listing cuts descriptions at ~200 characters with '...': keep whole sentences only."""
    text = (text or "").strip()
    if text.endswith("...") or text.endswith("\u2026"):
        body = text.rstrip(".\u2026")
        cut = max(body.rfind(". "), body.rfind(".\n"))
        text = body[: cut + 1] if cut > 40 else body.rstrip(" ,;:") + "."
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)  # markdown links
    return text


def day(unix):
    return datetime.fromtimestamp(unix, tz=timezone.utc).strftime("%Y-%m-%d") if unix else None


def norm(name):
    """A loose key for matching a host's model name to a Hugging Face repository or OpenRouter slug."""
    s = name.lower()
    s = s.split("/")[-1]
    s = re.sub(r"(\d)p(\d)", r"\1.\2", s)            # fireworks: v3p3 -> v3.3
    s = re.sub(r"^meta-", "", s)
    s = re.sub(r"-v(\d)", r"-\1", s)                  # llama-v3.3 -> llama-3.3
    for suffix in ("-turbo", "-tput", "-fp8", "-fp4", "-bf16", "-versatile", "-instant", "-maas"):
        if s.endswith(suffix):
            s = s[: -len(suffix)]
    s = s.replace("-fp8", "")
    return re.sub(r"[^a-z0-9]", "", s)


def quantization_of(name):
    low = name.lower()
    for q in ("fp8", "fp4", "bf16", "fp16", "int8", "int4"):
        if re.search(rf"(^|[-_/]){q}($|[-_])", low):
            return q
    return None


# ---------------------------------------------------------------- pricing

TIER_KEYS = (("128k", 128000), ("200k", 200000), ("256k", 256000), ("272k", 272000), ("512k", 512000))


def litellm_pricing(entry):
    prompt = per_million(entry.get("input_cost_per_token"))
    completion = per_million(entry.get("output_cost_per_token"))
    tiers = []
    tiered = entry.get("tiered_pricing")
    if prompt is None and tiered:
        first = tiered[0]
        prompt = per_million(first.get("input_cost_per_token"))
        completion = per_million(first.get("output_cost_per_token"))
        for t in tiered[1:]:
            tier = {"above_prompt_tokens": int(t["range"][0]),
                    "prompt": per_million(t.get("input_cost_per_token")),
                    "completion": per_million(t.get("output_cost_per_token"))}
            tiers.append(tier)
    if prompt is None or completion is None or prompt > 1000 or completion > 1000:
        return None  # a few LiteLLM entries carry prices in other units (W&B's per-request figures); leave them out
    pricing = {"prompt": prompt, "completion": completion}
    cache_read = per_million(entry.get("cache_read_input_token_cost"))
    cache_write = per_million(entry.get("cache_creation_input_token_cost"))
    if cache_read is not None:
        pricing["input_cache_read"] = cache_read
    if cache_write is not None:
        pricing["input_cache_write"] = cache_write
    image = dec(entry.get("input_cost_per_image"))
    if image:
        pricing["image"] = clean(image)
    reasoning = per_million(entry.get("output_cost_per_reasoning_token"))
    if reasoning is not None and reasoning != completion:
        pricing["internal_reasoning"] = reasoning
    request = dec(entry.get("input_cost_per_request"))
    if request:
        pricing["request"] = clean(request)
    for label, threshold in TIER_KEYS:
        p = per_million(entry.get(f"input_cost_per_token_above_{label}_tokens"))
        c = per_million(entry.get(f"output_cost_per_token_above_{label}_tokens"))
        if p is None and c is None:
            continue
        tier = {"above_prompt_tokens": threshold, "prompt": p if p is not None else prompt,
                "completion": c if c is not None else completion}
        cr = per_million(entry.get(f"cache_read_input_token_cost_above_{label}_tokens"))
        cw = per_million(entry.get(f"cache_creation_input_token_cost_above_{label}_tokens"))
        if cr is not None:
            tier["input_cache_read"] = cr
        if cw is not None:
            tier["input_cache_write"] = cw
        tiers.append(tier)
    if tiers:
        pricing["tiers"] = sorted(tiers, key=lambda t: t["above_prompt_tokens"])
    return pricing


def openrouter_pricing(p):
    prompt = per_million(p.get("prompt"))
    completion = per_million(p.get("completion"))
    if prompt is None or completion is None:
        return None
    pricing = {"prompt": prompt, "completion": completion}
    for src, dst in (("input_cache_read", "input_cache_read"), ("input_cache_write", "input_cache_write")):
        v = per_million(p.get(src))
        if v:
            pricing[dst] = v
    image = dec(p.get("image"))
    if image and image > 0:
        pricing["image"] = image.normalize()
    image_output = per_million(p.get("image_output"))
    if image_output and image_output != completion:
        pricing["image_output"] = image_output
    reasoning = per_million(p.get("internal_reasoning"))
    if reasoning is not None and reasoning != completion:
        pricing["internal_reasoning"] = reasoning
    request = dec(p.get("request"))
    if request and request > 0:
        pricing["request"] = clean(request)
    tiers = []
    for o in p.get("overrides") or []:
        if "min_prompt_tokens" not in o:
            continue
        tier = {"above_prompt_tokens": int(o["min_prompt_tokens"]),
                "prompt": per_million(o.get("prompt")) if o.get("prompt") else prompt,
                "completion": per_million(o.get("completion")) if o.get("completion") else completion}
        if o.get("input_cache_read"):
            tier["input_cache_read"] = per_million(o["input_cache_read"])
        if o.get("input_cache_write"):
            tier["input_cache_write"] = per_million(o["input_cache_write"])
        tiers.append(tier)
    if tiers:
        pricing["tiers"] = sorted(tiers, key=lambda t: t["above_prompt_tokens"])
    return pricing


def pricing_out(p):
    order = ("prompt", "completion", "request", "image", "image_output", "internal_reasoning",
             "input_cache_read", "input_cache_write", "tiers")
    out = {}
    for k in order:
        if k in p and p[k] is not None:
            if k == "tiers":
                out[k] = [{kk: num(t[kk]) if kk != "above_prompt_tokens" else t[kk]
                           for kk in ("above_prompt_tokens", "prompt", "completion", "input_cache_read", "input_cache_write")
                           if t.get(kk) is not None} for t in p[k]]
            else:
                out[k] = num(p[k])
    return out


# ---------------------------------------------------------------- build

def main():
    check = "--check" in sys.argv
    curated, overlay, openrouter, litellm = load_inputs()

    retired = overlay["retired"]
    retired_ids = {r["id"] for r in retired}
    skip = set(overlay["skip_models"]) | retired_ids

    # providers: curated ones, then the overlay's; every one gets a data policy
    providers = []
    for p in curated["providers"] + overlay["providers"]:
        p = dict(p)
        policy = overlay["provider_data_policy"].get(p["slug"], overlay["provider_defaults"]["data_policy"])
        p["data_policy"] = policy
        p["discovery"] = p["slug"] in ("ollama", "vllm", "llamacpp")
        providers.append(p)
    provider_slugs = {p["slug"] for p in providers}

    # LiteLLM entries by our provider slug, keyed by the upstream model name
    ll_by_provider = defaultdict(dict)
    for key in sorted(litellm):
        entry = litellm[key]
        if not isinstance(entry, dict) or entry.get("mode") != "chat":
            continue
        slug = overlay["litellm_providers"].get(entry.get("litellm_provider"))
        if slug is None or slug not in provider_slugs:
            continue
        upstream = key
        prefix = entry["litellm_provider"] + "/"
        if upstream.startswith(prefix):
            upstream = upstream[len(prefix):]
        elif slug == "google-ai-studio" and upstream.startswith("gemini/"):
            upstream = upstream[len("gemini/"):]
        elif slug == "moonshotai" and upstream.startswith("moonshot/"):
            upstream = upstream[len("moonshot/"):]
        if entry.get("deprecation_date") and entry["deprecation_date"] <= overlay["updated"]:
            continue  # retired upstream id
        ll_by_provider[slug][upstream] = entry

    # OpenRouter models kept: real author/slug chat models with text or image output
    kept = []
    for m in openrouter:
        mid = m["id"]
        outs = m["architecture"]["output_modalities"]
        if ":" in mid or mid.startswith("~") or mid.startswith("openrouter/") or mid in skip:
            continue
        if "audio" in outs or not set(outs) <= set(OUTPUT_MODALITIES) or "text" not in outs and "image" not in outs:
            continue
        if openrouter_pricing(m["pricing"]) is None:
            continue
        kept.append(m)
    or_by_id = {m["id"]: m for m in kept}

    # open-weight matching keys: Hugging Face repository and OpenRouter slug
    key_to_ids = defaultdict(set)
    for m in kept:
        if m.get("hugging_face_id"):
            key_to_ids[norm(m["hugging_face_id"])].add(m["id"])
            key_to_ids[norm(m["id"])].add(m["id"])
    host_match = {k: next(iter(v)) for k, v in key_to_ids.items() if len(v) == 1}

    curated_models = {m["id"]: m for m in curated["models"]}
    models = {}

    # 1. curated models (minus retired ones), their endpoints untouched
    for mid, cm in curated_models.items():
        if mid in retired_ids:
            continue
        model = dict(cm)
        model["endpoints"] = [dict(e) for e in cm["endpoints"]]
        if model["canonical_slug"] != mid and model["canonical_slug"] in or_by_id:
            # OpenRouter lists that dated snapshot as a model of its own
            model["canonical_slug"] = or_by_id[mid]["canonical_slug"] if mid in or_by_id else mid
        model["source"] = OPENROUTER_SOURCE if mid in or_by_id else CURATED_SOURCE
        for e in model["endpoints"]:
            if mid in or_by_id:
                e["source"] = CURATED_SOURCE
        models[mid] = model

    # 2. OpenRouter models not curated
    for m in kept:
        if m["id"] in models:
            continue
        arch = m["architecture"]
        ins = [x for x in INPUT_MODALITIES if x in arch["input_modalities"]] or ["text"]
        outs = [x for x in OUTPUT_MODALITIES if x in arch["output_modalities"]]
        models[m["id"]] = {
            "id": m["id"],
            "canonical_slug": m.get("canonical_slug") or m["id"],
            "hugging_face_id": m.get("hugging_face_id") or None,
            "name": m["name"][:200],
            "created": day(m.get("created")),
            "description": tidy_description(m.get("description")),
            "context_length": m["context_length"],
            "input_modalities": ins,
            "output_modalities": outs,
            "tokenizer": arch.get("tokenizer") or "Other",
            "instruct_type": arch.get("instruct_type"),
            "knowledge_cutoff": m.get("knowledge_cutoff"),
            "endpoints": [],
            "source": OPENROUTER_SOURCE,
        }

    # 2b. first-party models that OpenRouter does not list, described by hand in the overlay
    for x in overlay.get("extra_models", []):
        endpoints = []
        for e in x["endpoints"]:
            entry = litellm[e["litellm_key"]]
            upstream = e["litellm_key"].split("/", 1)[1] if "/" in e["litellm_key"] else e["litellm_key"]
            endpoints.append(litellm_endpoint(e["provider"], upstream, entry, {"context_length": entry["max_input_tokens"]}, []))
        models[x["id"]] = {
            "id": x["id"], "canonical_slug": x["id"], "hugging_face_id": None, "name": x["name"], "created": x["created"],
            "description": x["description"], "context_length": max(e["context_length"] for e in endpoints),
            "input_modalities": x["input_modalities"], "output_modalities": ["text"], "tokenizer": x["tokenizer"],
            "instruct_type": None, "knowledge_cutoff": None, "endpoints": endpoints, "source": LITELLM_SOURCE,
        }

    # 3. endpoints: OpenRouter for every model it lists, first-party and hosts from LiteLLM
    for mid in sorted(models):
        model = models[mid]
        if model["output_modalities"] == ["embeddings"]:
            continue
        have = {e["provider"] for e in model["endpoints"]}
        m = or_by_id.get(mid)
        if m is not None and "openrouter" not in have:
            top = m.get("top_provider") or {}
            model["endpoints"].append({
                "provider": "openrouter",
                "upstream_model": mid,
                "context_length": top.get("context_length") or m["context_length"],
                "max_completion_tokens": top.get("max_completion_tokens"),
                "quantization": None,
                "pricing": openrouter_pricing(m["pricing"]),
                "supported_parameters": sorted(m.get("supported_parameters") or []),
            })
            have.add("openrouter")
        author, slug = mid.split("/", 1)
        fp = overlay["first_party"].get(author)
        params = sorted((m or {}).get("supported_parameters") or [])
        if fp and fp not in have:
            entry, upstream = first_party_entry(mid, slug, fp, ll_by_provider[fp], overlay)
            if entry is not None:
                ep = litellm_endpoint(fp, upstream, entry, model, params)
                if ep:
                    model["endpoints"].append(ep)
                    have.add(fp)
        if model.get("hugging_face_id") or mid in curated_models:
            for host in sorted(ll_by_provider):
                if host in have or host == fp or host in overlay["first_party"].values() and host not in ("alibaba",):
                    continue
                for upstream, entry in sorted(ll_by_provider[host].items()):
                    if host_match.get(norm(upstream)) == mid:
                        ep = litellm_endpoint(host, upstream, entry, model, params)
                        if ep:
                            ep["quantization"] = quantization_of(upstream)
                            model["endpoints"].append(ep)
                            have.add(host)
                        break

    for mid, dropped in overlay.get("drop_endpoints", {}).items():
        if mid in models:
            models[mid]["endpoints"] = [e for e in models[mid]["endpoints"] if e["provider"] not in dropped]

    # 4. tiers for curated first-party endpoints that the curated file could not express
    for mid, model in models.items():
        for e in model["endpoints"]:
            if "tiers" in e["pricing"]:
                continue
            entry = ll_by_provider.get(e["provider"], {}).get(e["upstream_model"])
            if entry is None:
                continue
            lp = litellm_pricing(entry)
            if lp and "tiers" in lp and lp["prompt"] == dec(e["pricing"]["prompt"]):
                e["pricing"]["tiers"] = lp["tiers"]
                e.setdefault("source", LITELLM_SOURCE)
        # curated Anthropic/Sonnet with 1M context: the tier also applies on OpenRouter's endpoint (copied above)

    # 5. aliases: overlay names, provider upstream names that are unambiguous, ~latest aliases
    taken = defaultdict(set)
    for mid, model in models.items():
        taken[mid.lower()].add(mid)
        taken[model["canonical_slug"].lower()].add(mid)
    for r in retired:
        taken[r["id"].lower()].add("retired:" + r["id"])
        for a in r["aliases"]:
            taken[a.lower()].add("retired:" + r["id"])
    candidates = defaultdict(list)
    for mid, names in overlay["aliases"].items():
        candidates[mid].extend(names)
    for m in openrouter:
        target = (m.get("alias_target") or {}).get("slug")
        if m["id"].startswith("~") and target in models:
            candidates[target].append(m["id"])
    for mid, model in sorted(models.items()):
        for e in model["endpoints"]:
            if e["provider"] in ("openai", "anthropic", "google-ai-studio", "xai", "mistral", "deepseek", "alibaba",
                                 "moonshotai", "z-ai", "perplexity", "cohere", "minimax"):
                if e["upstream_model"] != mid:
                    candidates[mid].append(e["upstream_model"])
        if model["canonical_slug"] != mid:
            candidates[mid].append(model["canonical_slug"])
    claims = defaultdict(set)
    for mid, names in candidates.items():
        for n in names:
            claims[n.lower()].add(mid)
    for mid, model in models.items():
        aliases = []
        for n in candidates.get(mid, []):
            low = n.lower()
            if low == mid.lower() or low == model["canonical_slug"].lower():
                continue
            if taken.get(low, set()) - {mid} or len(claims[low]) > 1 or n in aliases:
                continue
            aliases.append(n)
        model["aliases"] = sorted(aliases, key=str.lower)

    # 6. deprecations
    for mid, dep in overlay["deprecations"].items():
        if mid in models:
            models[mid]["deprecation"] = dep

    # validate and write
    out_models = [shape_model(models[mid]) for mid in sorted(models, key=model_order(curated_models))]
    validate(providers, out_models, retired)
    doc = {
        "updated": overlay["updated"],
        "notes": overlay["notes"],
        "sources": overlay["sources"],
        "providers": providers,
        "models": out_models,
        "retired": [shape_retired(r) for r in sorted(retired, key=lambda r: r["id"])],
    }
    text = encode(doc) + "\n"
    if check:
        same = OUT.exists() and OUT.read_text() == text
        print("catalog.json is up to date" if same else "catalog.json differs from what the generator writes")
        sys.exit(0 if same else 1)
    OUT.write_text(text)
    endpoints = sum(len(m["endpoints"]) for m in out_models)
    tiered = sum(1 for m in out_models for e in m["endpoints"] if "tiers" in e["pricing"])
    aliases = sum(len(m["aliases"]) for m in out_models)
    print(f"wrote {OUT.relative_to(REPO)}: {len(out_models)} models, {len(providers)} providers, {endpoints} endpoints, "
          f"{aliases} aliases, {len(retired)} retired, {tiered} tiered endpoints")


def first_party_entry(mid, slug, provider, entries, overlay):
    override = overlay["upstream_overrides"].get(mid, {}).get(provider)
    names = [override] if override else [slug, slug.replace(".", "-")]
    lower = {k.lower(): k for k in entries}
    for n in names:
        if n and n.lower() in lower:
            key = lower[n.lower()]
            return entries[key], key
    return None, None


def litellm_endpoint(provider, upstream, entry, model, params):
    pricing = litellm_pricing(entry)
    if pricing is None:
        return None
    context = entry.get("max_input_tokens") or model["context_length"]
    if isinstance(context, str):
        return None
    max_out = entry.get("max_output_tokens")
    if isinstance(max_out, str) or (max_out is not None and max_out >= context):
        max_out = None if max_out is None or isinstance(max_out, str) else max_out
    return {
        "provider": provider,
        "upstream_model": upstream,
        "context_length": int(context),
        "max_completion_tokens": int(max_out) if max_out else None,
        "quantization": None,
        "pricing": pricing,
        "supported_parameters": params or litellm_params(entry),
        "source": LITELLM_SOURCE,
    }


def litellm_params(entry):
    params = ["max_tokens", "stop", "temperature", "top_p"]
    if entry.get("supports_function_calling"):
        params += ["tools", "tool_choice"]
    if entry.get("supports_response_schema"):
        params += ["response_format", "structured_outputs"]
    if entry.get("supports_reasoning"):
        params += ["reasoning", "include_reasoning"]
    return sorted(params)


def model_order(curated_models):
    curated_order = {mid: i for i, mid in enumerate(curated_models)}

    def key(mid):
        return (0, curated_order[mid], "") if mid in curated_order else (1, 0, mid)
    return key


def shape_model(m):
    order = ("id", "canonical_slug", "hugging_face_id", "name", "created", "description", "context_length",
             "input_modalities", "output_modalities", "tokenizer", "instruct_type", "knowledge_cutoff",
             "aliases", "deprecation", "source", "endpoints")
    out = {k: m[k] for k in order if k in m and not (k == "deprecation" and m[k] is None)}
    out["context_length"] = max([out["context_length"]] + [e["context_length"] for e in m["endpoints"]])
    out["endpoints"] = [shape_endpoint(e, m.get("source")) for e in sorted(m["endpoints"], key=endpoint_order)]
    return out


def endpoint_order(e):
    return (1 if e["provider"] == "openrouter" else 0, 0)


def shape_endpoint(e, model_source):
    out = {k: e[k] for k in ("provider", "upstream_model", "context_length", "max_completion_tokens", "quantization")}
    out["pricing"] = pricing_out(e["pricing"])
    out["supported_parameters"] = e.get("supported_parameters") or []
    if e.get("data_policy"):
        out["data_policy"] = e["data_policy"]
    if e.get("source") and e["source"] != model_source:
        out["source"] = e["source"]
    return out


def shape_retired(r):
    return {k: r[k] for k in ("id", "aliases", "retired_on", "successor", "note", "source")}


def validate(providers, models, retired):
    errors = []
    slugs = {p["slug"] for p in providers}
    seen = {}
    for m in models:
        mid = m["id"]
        if ":" in mid or mid.count("/") < 1 or len(mid) > 184 or len(m["name"]) > 200:
            errors.append(f"{mid}: bad id or name")
        if not m["endpoints"]:
            errors.append(f"{mid}: no endpoint")
        for e in m["endpoints"]:
            if e["provider"] not in slugs:
                errors.append(f"{mid}: unknown provider {e['provider']}")
            if not e["context_length"] or e["context_length"] <= 0:
                errors.append(f"{mid}/{e['provider']}: context_length")
            for k, v in e["pricing"].items():
                if k != "tiers" and v < 0:
                    errors.append(f"{mid}/{e['provider']}: negative {k}")
        for name in [mid, m["canonical_slug"]] + m.get("aliases", []):
            owner = seen.setdefault(name.lower(), mid)
            if owner != mid:
                errors.append(f"name {name} of {mid} is also {owner}'s")
    ids = {m["id"] for m in models}
    for r in retired:
        if r["successor"] not in ids:
            errors.append(f"retired {r['id']}: successor {r['successor']} is no model")
        for name in [r["id"]] + r["aliases"]:
            if name.lower() in seen:
                errors.append(f"retired name {name} is also {seen[name.lower()]}'s")
    if errors:
        sys.exit("catalog invalid:\n  " + "\n  ".join(errors))


if __name__ == "__main__":
    main()
