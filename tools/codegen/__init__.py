"""The protocol codec generator behind ``tools/gen_codecs.py`` (the command line and the
documented naming and value conventions live there).

Modules, in dependency order: ``naming`` (Python names for protocol names), ``typemap`` (YAML
type -> generated encode/decode expressions), ``model`` (YAML loading, parameters, custom-type
analysis), ``emit`` (statement emitters shared by the generators), ``custom_module``
(``hzgreen/protocol/custom.py``), ``methods`` (one method's codecs) and ``service_module``
(``hzgreen/protocol/codecs/<service>.py``).
"""
