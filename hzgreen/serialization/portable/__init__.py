"""Portable serialization (type id -1): class definitions, readers, writers, serializer."""

from hzgreen.serialization.portable.classdef import ClassDefinition, ClassDefinitionBuilder, FieldDefinition, FieldType

__all__ = ["ClassDefinition", "ClassDefinitionBuilder", "FieldDefinition", "FieldType"]
