"""`python -m mockint` is the same program as the `mockint` console script."""

from mockint.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
