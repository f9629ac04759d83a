/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * drivesim-ctl SOCKET COMMAND...: sends each COMMAND to drivesim's control
 * socket, prints the replies (without the OK line) and exits 0 if all were
 * OK, 1 at the first "ERR …" (printed to stderr), 2 if it cannot talk to it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Prints the reply lines up to OK or ERR; returns 0, 1 (ERR) or 2 (closed). */
static int relay_reply(FILE *in, bool print)
{
        char *line = NULL;
        size_t cap = 0;
        int r = 2;

        while (getline(&line, &cap, in) > 0) {
                line[strcspn(line, "\n")] = '\0';
                if (strcmp(line, "OK") == 0) {
                        r = 0;
                        break;
                }
                if (strncmp(line, "ERR", 3) == 0) {
                        fprintf(stderr, "drivesim-ctl: %s\n", line);
                        r = 1;
                        break;
                }
                if (print)
                        puts(line);
        }
        free(line);
        return r;
}

int main(int argc, char **argv)
{
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        FILE *in;
        int fd, r = 0;

        if (argc < 3 || strlen(argv[1]) >= sizeof addr.sun_path) {
                fprintf(stderr, "usage: drivesim-ctl SOCKET COMMAND...\n"
                                "  e.g. drivesim-ctl /tmp/ds.sock 'sr0 state' 'sr0 eject'\n");
                return 2;
        }
        strcpy(addr.sun_path, argv[1]);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
                perror("drivesim-ctl: connect");
                return 2;
        }
        in = fdopen(fd, "r");
        if (!in || relay_reply(in, false) != 0) { /* the greeting */
                fprintf(stderr, "drivesim-ctl: no greeting from %s\n", argv[1]);
                return 2;
        }
        for (int i = 2; i < argc && r == 0; i++) {
                if (dprintf(fd, "%s\n", argv[i]) < 0) {
                        perror("drivesim-ctl: write");
                        r = 2;
                        break;
                }
                r = relay_reply(in, true);
        }
        fclose(in);
        return r;
}
