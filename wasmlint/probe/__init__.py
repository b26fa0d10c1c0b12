"""``wasmlint probe``: measure a module under a real node (compile time and its
variance over fresh processes, worker scaling, each target's memory budget)
across flag sets, and judge the result with rules WL901–WL904.

Modules: ``signatures`` (import and export types), ``setup`` (command line →
plan), ``runner`` (node processes and the JS harness ``harness.mjs``),
``facts`` and ``verdicts`` (rules and recommendation), ``table`` (output).
"""
