/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawcd-options.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bus-errors.h"
#include "bus-util.h"
#include "recorder-access.h"

bool rawcd_sector_type_valid(int32_t t)
{
        return t == RAWBURN_SECTOR_PQ_ONLY || t == RAWBURN_SECTOR_IS_COOKED ||
               t == RAWBURN_SECTOR_IS_RAW;
}

bool rawcd_speed_valid(int32_t sps)
{
        /* 0xFFFE kB/s is 27,858 sectors per second: far above any CD. */
        return sps == -1 || (sps > 0 && sps <= 27858);
}

void rawcd_settings_default(rawcd_settings *s, sd_bus_message *call)
{
        sd_bus_creds *creds = NULL;
        const char *comm = NULL;

        memset(s, 0, sizeof *s);
        s->sector_type = RAWBURN_SECTOR_IS_COOKED; /* IMAPI2's documented default */
        s->speed = -1;
        s->check_after_write = true;
        snprintf(s->client_name, sizeof s->client_name, "unnamed client");
        /* IMAPI2 requires put_ClientName; over D-Bus the caller's process
         * name says who it is just as well when it gives none. */
        if (call &&
            sd_bus_query_sender_creds(call, SD_BUS_CREDS_COMM | SD_BUS_CREDS_AUGMENT, &creds) >=
                0 &&
            sd_bus_creds_get_comm(creds, &comm) >= 0 && comm && client_name_valid(comm))
                snprintf(s->client_name, sizeof s->client_name, "%s", comm);
        sd_bus_creds_unref(creds);
}

static int bad(sd_bus_error *error, const char *key, const char *why)
{
        char detail[200];

        snprintf(detail, sizeof detail, "option %s: %s", key, why);
        return bus_error_set(error, "InvalidArg", detail);
}

typedef enum { OPT_STRING, OPT_INT, OPT_BOOL } opt_type;

static const struct option_def {
        const char *key;
        opt_type type;
} option_defs[] = {
    {"ClientName", OPT_STRING},
    {"RequestedSectorType", OPT_INT},
    {"BufferUnderrunFreeDisabled", OPT_BOOL},
    {"RequestedWriteSpeed", OPT_INT},
    {"RequestedRotationTypeIsPureCAV", OPT_BOOL},
    {"Simulate", OPT_BOOL},
    {"Overburn", OPT_BOOL},
    {"EjectAfterWrite", OPT_BOOL},
    {"CheckAfterWrite", OPT_BOOL},
};

static const char *signature_of(opt_type t)
{
        return t == OPT_STRING ? "s" : t == OPT_INT ? "i" : "b";
}

static int apply(rawcd_settings *s, const char *key, const char *str, int32_t i, int b,
                 sd_bus_error *error)
{
        if (strcmp(key, "ClientName") == 0) {
                if (!client_name_valid(str))
                        return bus_error_set(error, "ClientNameIsNotValid",
                                             "1 to 64 printable ASCII characters");
                snprintf(s->client_name, sizeof s->client_name, "%s", str);
        } else if (strcmp(key, "RequestedSectorType") == 0) {
                if (!rawcd_sector_type_valid(i))
                        return bad(error, key, "1 (PQ only), 2 (cooked P-W) or 3 (raw P-W)");
                s->sector_type = i;
        } else if (strcmp(key, "RequestedWriteSpeed") == 0) {
                if (!rawcd_speed_valid(i))
                        return bad(error, key, "-1 (the fastest) or sectors per second (75 per x)");
                s->speed = i;
        } else if (strcmp(key, "BufferUnderrunFreeDisabled") == 0)
                s->bufe_disabled = b;
        else if (strcmp(key, "RequestedRotationTypeIsPureCAV") == 0)
                s->pure_cav = b;
        else if (strcmp(key, "Simulate") == 0)
                s->simulate = b;
        else if (strcmp(key, "Overburn") == 0)
                s->overburn = b;
        else if (strcmp(key, "EjectAfterWrite") == 0)
                s->eject_after_write = b;
        else if (strcmp(key, "CheckAfterWrite") == 0)
                s->check_after_write = b;
        return 0;
}

int rawcd_parse_options(sd_bus_message *m, rawcd_settings *s, sd_bus_error *error)
{
        int r;

        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                const struct option_def *def = NULL;
                const char *key, *str = NULL;
                int32_t i = 0;
                int b = 0;

                r = sd_bus_message_read(m, "s", &key);
                if (r < 0)
                        return r;
                for (size_t k = 0; k < sizeof option_defs / sizeof option_defs[0]; k++)
                        if (strcmp(option_defs[k].key, key) == 0)
                                def = &option_defs[k];
                if (!def)
                        return bad(error, key, "unknown (see PrepareMedia's options)");
                r = sd_bus_message_enter_container(m, 'v', signature_of(def->type));
                if (r < 0)
                        return bad(error, key,
                                   def->type == OPT_STRING ? "must be a string (s)"
                                   : def->type == OPT_INT  ? "must be an int32 (i)"
                                                           : "must be a boolean (b)");
                if (def->type == OPT_STRING)
                        r = sd_bus_message_read(m, "s", &str);
                else if (def->type == OPT_INT)
                        r = sd_bus_message_read(m, "i", &i);
                else
                        r = sd_bus_message_read(m, "b", &b);
                if (r < 0)
                        return r;
                r = apply(s, key, str, i, b, error);
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(m); /* v */
                if (r >= 0)
                        r = sd_bus_message_exit_container(m); /* e */
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}
