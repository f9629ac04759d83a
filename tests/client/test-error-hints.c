/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every error rawburnd can send has words for a person (client/error-hints.c):
 * the names come from the daemon itself (`rawburnd --list-errors`, the path in
 * $RAWBURND), so a new error in the daemon fails here until it has a hint.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "error-hints.h"
#include "exit-status.h"

#define MAX_NAMES 256

static char names[MAX_NAMES][128];
static size_t n_names;

static int read_daemon_table(void **state)
{
        const char *daemon = getenv("RAWBURND");
        char cmd[4200], line[4096];
        if (!daemon)
                return -1;
        snprintf(cmd, sizeof cmd, "'%s' --list-errors", daemon);
        FILE *p = popen(cmd, "r");
        if (!p)
                return -1;
        while (fgets(line, sizeof line, p) && n_names < MAX_NAMES) {
                line[strcspn(line, "\t\n")] = 0;
                if (line[0])
                        snprintf(names[n_names++], sizeof names[0], "org.rawburn1.Error.%.100s",
                                 line);
        }
        return pclose(p) == 0 && n_names > 0 ? 0 : -1;
}

static void test_every_daemon_error_has_a_hint(void **state)
{
        /* The daemon's table is IMAPI2's: dozens of names. */
        assert_true(n_names > 80);
        for (size_t i = 0; i < n_names; i++) {
                const error_hint *h = error_hint_lookup(names[i]);
                if (!h)
                        fail_msg("%s has no hint in client/error-hints.c", names[i]);
        }
}

static void test_no_hint_for_a_name_the_daemon_lacks(void **state)
{
        /* A misspelt or retired name would never be shown. */
        for (size_t i = 0; i < error_hint_count(); i++) {
                const char *name = error_hint_at(i)->name;
                if (strncmp(name, "org.rawburn1.Error.", 19) != 0)
                        continue;
                bool found = false;
                for (size_t k = 0; k < n_names && !found; k++)
                        found = strcmp(names[k], name) == 0;
                if (!found)
                        fail_msg("%s is not in rawburnd --list-errors", name);
        }
}

static void test_hints_say_what_and_what_next(void **state)
{
        for (size_t i = 0; i < error_hint_count(); i++) {
                const error_hint *h = error_hint_at(i);
                /* A sentence in lower case (rawburnctl puts "sr0: " before it),
                 * without the final full stop (rawburnctl adds it). */
                assert_non_null(h->hint);
                assert_true(strlen(h->hint) > 15);
                if (h->hint[0] < 'a' || h->hint[0] > 'z')
                        fail_msg("%s: hint does not start in lower case", h->name);
                if (h->hint[strlen(h->hint) - 1] == '.')
                        fail_msg("%s: hint ends with a full stop", h->name);
                assert_true(h->exit_status >= EXIT_FAILED && h->exit_status <= EXIT_UNSUPPORTED);
                for (size_t k = 0; k < i; k++)
                        if (strcmp(error_hint_at(k)->name, h->name) == 0)
                                fail_msg("%s is listed twice", h->name);
        }
}

static void test_the_bus_errors_of_a_system_service(void **state)
{
        static const struct {
                const char *name;
                int status;
        } expect[] = {
            {"org.freedesktop.DBus.Error.AccessDenied", EXIT_PERMISSION},
            {"org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", EXIT_PERMISSION},
            {"org.freedesktop.DBus.Error.ServiceUnknown", EXIT_NO_DAEMON},
            {"org.freedesktop.DBus.Error.NoReply", EXIT_NO_DAEMON},
            {"org.freedesktop.DBus.Error.UnknownObject", EXIT_NO_DRIVE},
            {"org.freedesktop.DBus.Error.UnknownMethod", EXIT_UNSUPPORTED},
        };
        for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
                const error_hint *h = error_hint_lookup(expect[i].name);
                assert_non_null(h);
                assert_int_equal(h->exit_status, expect[i].status);
        }
}

static void test_exit_statuses_of_the_burn_errors(void **state)
{
        /* The statuses rawburnctl(1) documents for the errors of a burn. */
        static const struct {
                const char *name;
                int status;
        } expect[] = {
            {"RequestCancelled", EXIT_CANCELLED},
            {"MediaIsNotBlank", EXIT_MEDIA},
            {"RecorderMediaNoMedia", EXIT_MEDIA},
            {"NotEnoughSpace", EXIT_MEDIA},
            {"RecorderMediaUpsideDown", EXIT_MEDIA},
            {"RecorderMediaWriteProtected", EXIT_MEDIA},
            {"RecorderLocked", EXIT_BUSY},
            {"WriteInProgress", EXIT_BUSY},
            {"RecorderMediaBecomingReady", EXIT_BUSY},
            {"LossOfStreaming", EXIT_FAILED},
            {"RecorderCommandTimeout", EXIT_FAILED},
            {"StreamNotSupported", EXIT_SOURCE},
            {"StreamLeadinTooShort", EXIT_SOURCE},
            {"BurnVerificationFailed", EXIT_VERIFY},
            {"DeviceNotExist", EXIT_NO_DRIVE},
            {"RecorderNotSupported", EXIT_UNSUPPORTED},
            {"DataBlockTypeNotSupported", EXIT_UNSUPPORTED},
        };
        char name[128];
        for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
                snprintf(name, sizeof name, "org.rawburn1.Error.%s", expect[i].name);
                const error_hint *h = error_hint_lookup(name);
                assert_non_null(h);
                assert_int_equal(h->exit_status, expect[i].status);
        }
        /* The words users asked for. */
        assert_non_null(
            strstr(error_hint_lookup("org.rawburn1.Error.LossOfStreaming")->hint, "BURN-Free"));
        assert_non_null(
            strstr(error_hint_lookup("org.rawburn1.Error.MediaIsNotBlank")->hint, "not blank"));
        assert_null(error_hint_lookup("org.rawburn1.Error.NoSuchError"));
        assert_null(error_hint_lookup(NULL));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_every_daemon_error_has_a_hint),
            cmocka_unit_test(test_no_hint_for_a_name_the_daemon_lacks),
            cmocka_unit_test(test_hints_say_what_and_what_next),
            cmocka_unit_test(test_the_bus_errors_of_a_system_service),
            cmocka_unit_test(test_exit_statuses_of_the_burn_errors),
        };
        return cmocka_run_group_tests(tests, read_daemon_table, NULL);
}
