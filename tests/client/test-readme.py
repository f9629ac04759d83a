#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The README's first command, run exactly as the README writes it, from the
top of the source tree: it installs, builds, burns a short album on drivesim
through rawburnd and reads the TOC back. (The second, tests/run-all.sh, is
what CI runs around this suite.) Its output is not a terminal here, so the
progress comes as lines."""

import os
import re
import subprocess
import unittest

SOURCE = os.environ['RAWBURN_SOURCE_ROOT']


def readme_commands():
    with open(os.path.join(SOURCE, 'README.md')) as f:
        text = f.read()
    section = text.split('## Two commands', 1)[1].split('\n## ', 1)[0]
    return re.findall(r'^    (\S.*)$', section, re.M)


def demo_dirs():
    return {d for d in os.listdir('/tmp') if d.startswith('rawburn-demo.')}


class Readme(unittest.TestCase):
    def test_the_two_commands(self):
        self.assertEqual(readme_commands(), ['tests/demo-burn.sh', 'tests/run-all.sh'])
        for command in readme_commands():
            self.assertTrue(os.access(os.path.join(SOURCE, command), os.X_OK), command)

    def test_the_first_run(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith('DBUS_')}
        before = demo_dirs()
        r = subprocess.run(['bash', '-c', readme_commands()[0]], cwd=SOURCE, env=env,
                           stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=1800)
        out = r.stdout
        self.assertEqual(r.returncode, 0, out + r.stderr)
        self.assertIn('Lead-in start: 97:26:66 (LBA -11634)', out)
        self.assertIn('Burning 3 tracks, 0:24, made on the fly as raw sectors', out)
        self.assertIn('sr0: prepared: 24× (1800 sectors/s), BURN-Free on', out)
        # The speed is measured, so a burn at 24x may show 23.9x part way.
        self.assertRegex(out, r'sr0: writing \d+% at 2[34]\.\d×, drive buffer \d+%, 0:\d\d left')
        self.assertRegex(out, r'sr0: burn complete: \d+ sectors in 0:\d\d')
        # cdrdao's reading of the disc.
        self.assertEqual(out.count('TRACK AUDIO'), 3)
        self.assertIn('TITLE "rawburn demo"', out)
        self.assertIn('TITLE "Second tone"', out)
        self.assertIn('The disc reads back as burned: 3 audio tracks and their CD-Text.', out)
        # It cleans up after itself.
        self.assertEqual(demo_dirs(), before)


if __name__ == '__main__':
    unittest.main(verbosity=2)
