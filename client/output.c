/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "output.h"

#include <math.h>
#include <stdarg.h>

static void vlog(const char *prefix, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
static void vlog(const char *prefix, const char *fmt, va_list ap)
{
        /* stdout first, so that a message lands after what it comments. */
        fflush(stdout);
        fprintf(stderr, "rawburnctl: %s", prefix);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
}

void log_error(const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        vlog("", fmt, ap);
        va_end(ap);
}

void log_warning(const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        vlog("warning: ", fmt, ap);
        va_end(ap);
}

void log_notice(const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        vlog("", fmt, ap);
        va_end(ap);
}

void log_debug(const char *fmt, ...)
{
        if (!arg_verbose)
                return;
        va_list ap;
        va_start(ap, fmt);
        vlog("", fmt, ap);
        va_end(ap);
}

void json_string(FILE *f, const char *s)
{
        if (!s) {
                fputs("null", f);
                return;
        }
        fputc('"', f);
        for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
                switch (*p) {
                case '"':
                        fputs("\\\"", f);
                        break;
                case '\\':
                        fputs("\\\\", f);
                        break;
                case '\n':
                        fputs("\\n", f);
                        break;
                case '\t':
                        fputs("\\t", f);
                        break;
                case '\r':
                        fputs("\\r", f);
                        break;
                default:
                        if (*p < 0x20)
                                fprintf(f, "\\u%04x", *p);
                        else
                                fputc(*p, f);
                }
        }
        fputc('"', f);
}

void json_open(json_obj *j, FILE *f)
{
        j->f = f;
        j->first = true;
        fputc('{', f);
}

void json_key(json_obj *j, const char *key)
{
        if (!j->first)
                fputc(',', j->f);
        j->first = false;
        json_string(j->f, key);
        fputc(':', j->f);
}

void json_str(json_obj *j, const char *key, const char *value)
{
        json_key(j, key);
        json_string(j->f, value);
}

void json_int(json_obj *j, const char *key, int64_t value)
{
        json_key(j, key);
        fprintf(j->f, "%lld", (long long)value);
}

void json_int_if(json_obj *j, const char *key, bool known, int64_t value)
{
        if (known) {
                json_int(j, key, value);
                return;
        }
        json_key(j, key);
        fputs("null", j->f);
}

void json_bool(json_obj *j, const char *key, bool value)
{
        json_key(j, key);
        fputs(value ? "true" : "false", j->f);
}

void json_num(json_obj *j, const char *key, double value, int decimals)
{
        json_key(j, key);
        /* Negative stands for "not known yet" in what rawburnctl reports. */
        if (isfinite(value) && value >= 0)
                fprintf(j->f, "%.*f", decimals, value);
        else
                fputs("null", j->f);
}

void json_close(json_obj *j)
{
        fputc('}', j->f);
}

void json_end_line(FILE *f)
{
        fputc('\n', f);
        fflush(f);
}

void json_event(json_obj *j, const char *event, const char *drive)
{
        json_open(j, stdout);
        json_str(j, "event", event);
        if (drive)
                json_str(j, "drive", drive);
}
