"""mockint: practise product-manager interviews in the terminal, offline first."""

__version__ = "0.1.0"
