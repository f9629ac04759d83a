#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The man pages render without a warning (groff -ww, man -l), and
rawburnctl(1) keeps up with rawburnctl: every command its --help lists,
every option of burn, every exit status of client/exit-status.h."""

import os
import re
import subprocess
import unittest

SOURCE = os.environ['RAWBURN_SOURCE_ROOT']
RAWBURNCTL = os.environ['RAWBURNCTL']
PAGES = ('docs/rawburnctl.1', 'docs/rawburnd.8')


def render(page):
    env = dict(os.environ, LC_ALL='C.UTF-8', MANWIDTH='80', MAN_KEEP_FORMATTING='')
    r = subprocess.run(['man', '--warnings', '-l', os.path.join(SOURCE, page)], env=env,
                       capture_output=True, text=True)
    return r


class ManPages(unittest.TestCase):
    def test_pages_render_without_warnings(self):
        for page in PAGES:
            with self.subTest(page=page):
                r = subprocess.run(['groff', '-man', '-Tutf8', '-ww', '-z',
                                    os.path.join(SOURCE, page)], capture_output=True, text=True)
                self.assertEqual((r.returncode, r.stderr), (0, ''))
                r = render(page)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stderr, '')
                self.assertIn('NAME', r.stdout)
                self.assertIn('SEE ALSO', r.stdout)

    def text(self):
        # Without hyphenation and adjustment breaks a word is one word.
        return ' '.join(render('docs/rawburnctl.1').stdout.split())

    def test_every_command_is_documented(self):
        help_text = subprocess.run([RAWBURNCTL, '--help'], capture_output=True, text=True,
                                   check=True).stdout
        commands = re.findall(r'^  ([a-z-]+) ', help_text.split('commands:')[1].split('options:')[0],
                              re.M)
        self.assertIn('burn', commands)
        page = self.text()
        for command in commands:
            self.assertRegex(page, r'rawburnctl (\[OPTIONS\] )?[a-z |-]*\b%s\b' % command,
                             command + ' missing from the SYNOPSIS')

    def test_every_burn_option_is_documented(self):
        help_text = subprocess.run([RAWBURNCTL, 'burn', '--help'], capture_output=True,
                                   text=True, check=True).stdout
        options = set(re.findall(r'(--[a-z-]+)', help_text))
        self.assertIn('--no-burnfree', options)
        page = self.text()
        for option in options:
            self.assertIn(option, page)

    def test_every_exit_status_is_documented(self):
        with open(os.path.join(SOURCE, 'client/exit-status.h')) as f:
            statuses = [int(n) for n in re.findall(r'EXIT_[A-Z_]+ = (\d+)', f.read())]
        self.assertEqual(statuses, list(range(12)))
        section = self.text().split('EXIT STATUS')[1].split('JSON OUTPUT')[0]
        for n in statuses:
            self.assertRegex(section, r'(^| )%d [A-Z]' % n, 'exit status %d' % n)


if __name__ == '__main__':
    unittest.main(verbosity=2)
