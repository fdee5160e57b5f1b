"""AEP simulator: a stateful, multi-org stand-in for Adobe Experience Platform APIs."""
from .app import create_app  # noqa: F401
from .state import State, load_state_file, default_state_path  # noqa: F401

__version__ = "0.1.0"
__all__ = ["create_app", "State", "load_state_file", "default_state_path"]
