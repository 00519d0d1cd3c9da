"""Each vocabulary is defined once, in the engine; the API, the CLI and the pages read it from there."""

import importlib.util
import typing

import pytest

from app.api.network_schemas import ActivationLayer
from app.api.schemas import Activation, PaddingMode, PoolMode
from app.cli import build_parser
from app.core.activations import ACTIVATIONS
from app.core.network_layers import KINDS, LAYER_ACTIVATIONS
from app.core.padding import PADDING_MODES
from app.core.pool import POOL_MODES

from .conftest import ROOT


def _make_vocabulary():
    spec = importlib.util.spec_from_file_location("make_vocabulary", ROOT / "scripts" / "make_vocabulary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_pages_vocabulary_module_is_generated_from_the_engine():
    generated = _make_vocabulary().source()
    committed = (ROOT / "static" / "js" / "vocabulary.js").read_text(encoding="utf-8")
    assert committed == generated, "run scripts/make_vocabulary.py"


@pytest.mark.parametrize(
    ("literal", "engine"),
    [
        (Activation, tuple(ACTIVATIONS)),
        (PaddingMode, PADDING_MODES),
        (PoolMode, POOL_MODES),
        (ActivationLayer.model_fields["type"].annotation, LAYER_ACTIVATIONS),
    ],
    ids=["activation", "padding_mode", "pool_mode", "activation_layer_type"],
)
def test_api_literals_are_the_engines_lists(literal, engine):
    assert typing.get_args(literal) == tuple(engine)


def test_every_activation_but_none_is_a_layer_type():
    assert set(LAYER_ACTIVATIONS) == set(ACTIVATIONS) - {"none"} and set(LAYER_ACTIVATIONS) <= set(KINDS)


@pytest.mark.parametrize(
    ("option", "engine"),
    [("--activation", tuple(ACTIVATIONS)), ("--padding-mode", PADDING_MODES), ("--pool", POOL_MODES)],
)
def test_cli_choices_are_the_engines_lists(option, engine):
    render = build_parser()._subparsers._group_actions[0].choices["render"]
    action = next(a for a in render._actions if option in a.option_strings)
    assert tuple(action.choices) == tuple(engine)
