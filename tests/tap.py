# SPDX-License-Identifier: MIT
"""TAP output for the test scripts that run bouncelog.

Each check is a name and its result: a list of problems (empty when the
check passed), None for a skip, or a string for a skip with its reason.
"""


class Tap:
    def __init__(self):
        self.results = []

    def check(self, name, problems):
        self.results.append((name, problems))

    def finish(self):
        """Print the plan and one line a check, with the first ten
        problems of a failed check as comments.  Returns the exit status:
        1 when a check failed, else 0."""
        print(f"1..{len(self.results)}")
        failed = 0
        for number, (name, problems) in enumerate(self.results, 1):
            if problems is None:
                print(f"ok {number} - {name} # SKIP")
            elif isinstance(problems, str):
                print(f"ok {number} - {name} # SKIP {problems}")
            elif problems:
                failed += 1
                print(f"not ok {number} - {name}")
                for p in problems[:10]:
                    print(f"# {p}")
            else:
                print(f"ok {number} - {name}")
        return 1 if failed else 0
