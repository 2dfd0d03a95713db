#!/usr/bin/env python3
"""Validate this part's gold.csv and prove it loads in the scorer: the checks are the corpus's shared
`../check_part.py` (its docstring lists them), run on this folder. Usage: python3 check.py [--indicators PATH]"""
import os
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.argv[1:1] = ["--part", HERE]
runpy.run_path(os.path.join(HERE, "..", "check_part.py"), run_name="__main__")
