/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The control socket's language shared by drivesim's front ends: which call a line makes,
 * and the OK / ERR answers that go back (docs/drivesim.md, "Control socket"). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "control-lines.h"

typedef struct fake {
        char last[256];
} fake;

static int fake_list(void *userdata, char **reply)
{
        *reply = strdup("sr0 /dev/sr0 /dev/sg0 /sys/x\nsr1 /dev/sr1 /dev/sg1 /sys/y");
        return 0;
}

static int fake_add(void *userdata, const char *spec, char **reply)
{
        snprintf(((fake *)userdata)->last, 256, "add %s", spec);
        if (strcmp(spec, "bogus") == 0) {
                *reply = strdup("unknown media 'bogus'");
                return -EINVAL;
        }
        *reply = strdup("sr2");
        return 0;
}

static int fake_remove(void *userdata, const char *name, char **reply)
{
        if (strcmp(name, "sr0") != 0)
                return -ENOENT;
        *reply = strdup("removed sr0");
        return 0;
}

static int fake_drive(void *userdata, const char *name, const char *line, char **reply)
{
        if (strcmp(name, "sr0") != 0)
                return -ENOENT;
        snprintf(((fake *)userdata)->last, 256, "%s: %s", name, line);
        *reply = strdup("tray open\nsecond line");
        return 0;
}

static const dsc_frontend_ops ops = {fake_list, fake_add, fake_remove, fake_drive};

static char *run(fake *f, const char *line)
{
        char *reply = NULL, *out;
        int r = dsc_control_execute(&ops, f, line, &reply);

        assert_non_null(reply);
        out = dsc_control_format(r, reply);
        free(reply);
        return out;
}

static void test_lines(void **state)
{
        fake f = {""};
        char *out;

        out = run(&f, "ready");
        assert_string_equal(out, "OK\n");
        free(out);
        out = run(&f, "list");
        assert_string_equal(out,
                            "sr0 /dev/sr0 /dev/sg0 /sys/x\nsr1 /dev/sr1 /dev/sg1 /sys/y\nOK\n");
        free(out);
        out = run(&f, "add cdr80,speed=8");
        assert_string_equal(f.last, "add cdr80,speed=8");
        assert_string_equal(out, "sr2\nOK\n");
        free(out);
        out = run(&f, "add bogus");
        assert_string_equal(out, "ERR unknown media 'bogus'\n");
        free(out);
        out = run(&f, "add");
        assert_string_equal(out, "ERR add needs a SPEC, e.g. add cdr80\n");
        free(out);
        out = run(&f, "remove sr0");
        assert_string_equal(out, "removed sr0\nOK\n");
        free(out);
        out = run(&f, "remove sr7");
        assert_string_equal(out, "ERR no drive 'sr7'\n");
        free(out);
        out = run(&f, "  sr0   eject");
        assert_string_equal(f.last, "sr0: eject");
        assert_string_equal(out, "tray open\nsecond line\nOK\n");
        free(out);
        out = run(&f, "sr9 eject");
        assert_string_equal(out, "ERR unknown command or drive 'sr9' (try help)\n");
        free(out);
        out = run(&f, "help");
        assert_non_null(strstr(out, "remove srN"));
        free(out);
}

/* An error's message is one line, whatever the model said. */
static void test_error_is_one_line(void **state)
{
        char *out = dsc_control_format(-EBUSY, "first\nsecond");

        assert_string_equal(out, "ERR first second\n");
        free(out);
        out = dsc_control_format(-EBUSY, NULL);
        assert_string_equal(out, "ERR Device or resource busy\n");
        free(out);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_lines),
            cmocka_unit_test(test_error_is_one_line),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
