/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sd-bus on the libuv loop (daemon/service/bus-loop.c): two bus connections over a
 * socketpair, both driven only by uv_run(). A method call must get its reply,
 * a call the server never answers must end with sd-bus's timeout (which only
 * fires if the absolute CLOCK_MONOTONIC deadline became a uv timer), and a
 * peer hanging up must stop the loop through the disconnect callback. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-id128.h>
#include <uv.h>

#include "bus-loop.h"

typedef struct fixture {
        uv_loop_t loop;
        sd_bus *server, *client;
        bus_loop *server_loop, *client_loop;
        int replies, errors, disconnects;
        char error_name[128];
        sd_bus_message *parked;
} fixture;

static int method_echo(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        const char *s;
        int r = sd_bus_message_read(m, "s", &s);

        if (r < 0)
                return r;
        return sd_bus_reply_method_return(m, "s", s);
}

/* Never answers: keeps the call, as a handler waiting for polkit does. */
static int method_park(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        fixture *f = userdata;

        f->parked = sd_bus_message_ref(m);
        return 1;
}

static const sd_bus_vtable test_vtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD("Echo", "s", "s", method_echo, 0),
    SD_BUS_METHOD("Park", "", "", method_park, 0),
    SD_BUS_VTABLE_END,
};

static void on_disconnect(void *userdata)
{
        fixture *f = userdata;

        f->disconnects++;
        uv_stop(&f->loop);
}

static int setup(void **state)
{
        fixture *f = calloc(1, sizeof *f);
        sd_id128_t id;
        int fds[2];

        assert_non_null(f);
        assert_int_equal(uv_loop_init(&f->loop), 0);
        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
        assert_int_equal(sd_id128_randomize(&id), 0);

        assert_int_equal(sd_bus_new(&f->server), 0);
        assert_int_equal(sd_bus_set_fd(f->server, fds[0], fds[0]), 0);
        assert_int_equal(sd_bus_set_server(f->server, 1, id), 0);
        assert_int_equal(sd_bus_set_anonymous(f->server, 1), 0);
        assert_int_equal(
            sd_bus_add_object_vtable(f->server, NULL, "/test", "org.rawburn1.Test", test_vtable, f),
            0);
        assert_int_equal(sd_bus_start(f->server), 0);

        assert_int_equal(sd_bus_new(&f->client), 0);
        assert_int_equal(sd_bus_set_fd(f->client, fds[1], fds[1]), 0);
        assert_int_equal(sd_bus_set_anonymous(f->client, 1), 0);
        assert_int_equal(sd_bus_start(f->client), 0);

        assert_int_equal(bus_loop_attach(&f->loop, f->server, on_disconnect, f, &f->server_loop),
                         0);
        assert_int_equal(bus_loop_attach(&f->loop, f->client, on_disconnect, f, &f->client_loop),
                         0);
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        fixture *f = *state;

        sd_bus_message_unref(f->parked);
        bus_loop_detach(f->server_loop);
        bus_loop_detach(f->client_loop);
        uv_run(&f->loop, UV_RUN_DEFAULT); /* close callbacks */
        sd_bus_flush_close_unref(f->server);
        sd_bus_flush_close_unref(f->client);
        assert_int_equal(uv_loop_close(&f->loop), 0);
        free(f);
        return 0;
}

static int on_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        fixture *f = userdata;

        if (sd_bus_message_is_method_error(m, NULL)) {
                f->errors++;
                snprintf(f->error_name, sizeof f->error_name, "%s",
                         sd_bus_message_get_error(m)->name);
        } else {
                const char *s = NULL;

                assert_int_equal(sd_bus_message_read(m, "s", &s), 1);
                assert_string_equal(s, "hello");
                f->replies++;
        }
        uv_stop(&f->loop);
        return 0;
}

static void test_call_gets_reply(void **state)
{
        fixture *f = *state;

        assert_int_equal(sd_bus_call_method_async(f->client, NULL, NULL, "/test",
                                                  "org.rawburn1.Test", "Echo", on_reply, f, "s",
                                                  "hello"),
                         1);
        /* Nothing but the loop moves the bytes. */
        uv_run(&f->loop, UV_RUN_DEFAULT);
        assert_int_equal(f->replies, 1);
        assert_int_equal(f->errors, 0);
}

static void test_unanswered_call_times_out(void **state)
{
        fixture *f = *state;
        sd_bus_message *m = NULL;

        assert_int_equal(sd_bus_message_new_method_call(f->client, &m, NULL, "/test",
                                                        "org.rawburn1.Test", "Park"),
                         0);
        /* 50 ms: sd-bus turns it into an absolute deadline that only a uv timer
         * armed from sd_bus_get_timeout() can make fire. */
        assert_true(sd_bus_call_async(f->client, NULL, m, on_reply, f, 50 * 1000) >= 0);
        sd_bus_message_unref(m);
        uv_run(&f->loop, UV_RUN_DEFAULT);
        assert_non_null(f->parked);
        assert_int_equal(f->errors, 1);
        assert_string_equal(f->error_name, SD_BUS_ERROR_NO_REPLY);
}

static void test_hangup_stops_the_loop(void **state)
{
        fixture *f = *state;

        /* The client side goes away: the server's loop reports it. */
        bus_loop_detach(f->client_loop);
        f->client_loop = NULL;
        sd_bus_close(f->client);
        uv_run(&f->loop, UV_RUN_DEFAULT);
        assert_int_equal(f->disconnects, 1);
        f->server_loop = NULL; /* detached by the disconnect */
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_call_gets_reply, setup, teardown),
            cmocka_unit_test_setup_teardown(test_unanswered_call_times_out, setup, teardown),
            cmocka_unit_test_setup_teardown(test_hangup_stops_the_loop, setup, teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
