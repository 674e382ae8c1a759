"""networkx analysis of the entity graph: conversion, rankings, communities, paths, export."""
from graph.analysis.convert import to_networkx

__all__ = ["to_networkx"]
