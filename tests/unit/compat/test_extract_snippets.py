"""tools/extract_snippets.py: python blocks by section, other blocks skipped."""

from __future__ import annotations

import importlib.util
import os
from typing import Any

TOOL = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tools", "extract_snippets.py")


def load_tool() -> Any:
    spec = importlib.util.spec_from_file_location("extract_snippets", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TEXT = """# 1. Getting Started
```xml
# not a heading
```
## 1.2. Using Map
```python
# a comment, not a heading
m.put(1, 2)
```
```
plain block
```
```python
import hazelcast
```
"""


def test_extracts_python_blocks_with_their_section(tmp_path: Any) -> None:
    tool = load_tool()
    snippets = tool.extract(TEXT)
    assert snippets == [
        ("1.2. Using Map", "# a comment, not a heading\nm.put(1, 2)\n"),
        ("1.2. Using Map", "import hazelcast\n"),
    ]
    assert tool.write(snippets, str(tmp_path)) == ["001_1_2_using_map.py", "002_1_2_using_map.py"]
    assert (tmp_path / "002_1_2_using_map.py").read_text() == "import hazelcast\n"
