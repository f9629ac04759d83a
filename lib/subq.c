/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rawburn/subq.h"

#include <errno.h>
#include <string.h>

#include "rawburn/crc.h"

/* Track numbers and points above 99 (AA, A0..A2) are written as they are, not in BCD. */
static uint8_t encode_number(uint8_t v)
{
        return v > 99 ? v : rb_bcd_encode(v);
}

static int decode_number(uint8_t b)
{
        if ((b >> 4) >= 0xA)
                return b;
        return rb_bcd_decode(b);
}

static int put_msf(rb_msf_t msf, uint8_t *out)
{
        if (!rb_msf_valid(msf))
                return -EINVAL;
        out[0] = rb_bcd_encode(msf.m);
        out[1] = rb_bcd_encode(msf.s);
        out[2] = rb_bcd_encode(msf.f);
        return 0;
}

static int get_msf(const uint8_t *in, rb_msf_t *msf)
{
        int m = rb_bcd_decode(in[0]), s = rb_bcd_decode(in[1]), f = rb_bcd_decode(in[2]);

        if (m < 0 || s < 0 || f < 0)
                return -EBADMSG;
        *msf = (rb_msf_t){(uint8_t)m, (uint8_t)s, (uint8_t)f};
        return 0;
}

/* ISRC country and owner characters: '0'-'9' are 0-9, 'A'-'Z' are 0x11-0x2A. */
static int isrc_char_code(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'A' && c <= 'Z')
                return c - 'A' + 0x11;
        return -EINVAL;
}

static int isrc_code_char(unsigned code)
{
        if (code <= 9)
                return '0' + (int)code;
        if (code >= 0x11 && code <= 0x2A)
                return 'A' + (int)(code - 0x11);
        return -EBADMSG;
}

static bool all_digits(const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (s[i] < '0' || s[i] > '9')
                        return false;
        return true;
}

static int encode_isrc(const char *code, uint8_t *out)
{
        uint32_t packed = 0;

        if (strnlen(code, RB_ISRC_CHARS + 1) != RB_ISRC_CHARS || !all_digits(code + 5, 7))
                return -EINVAL;
        /* Five 6-bit characters, most significant first, then two zero bits. */
        for (int i = 0; i < 5; i++) {
                int c = isrc_char_code(code[i]);
                if (c < 0)
                        return c;
                packed = (packed << 6) | (uint32_t)c;
        }
        packed <<= 2;
        out[0] = (uint8_t)(packed >> 24);
        out[1] = (uint8_t)(packed >> 16);
        out[2] = (uint8_t)(packed >> 8);
        out[3] = (uint8_t)packed;
        /* Year and serial: seven BCD digits, the last nibble 0. */
        for (int i = 0; i < 4; i++) {
                uint8_t hi = (uint8_t)(code[5 + 2 * i] - '0');
                uint8_t lo = 5 + 2 * i + 1 < RB_ISRC_CHARS ? (uint8_t)(code[6 + 2 * i] - '0') : 0;
                out[4 + i] = (uint8_t)(hi << 4 | lo);
        }
        return 0;
}

static int decode_isrc(const uint8_t *in, char *code)
{
        uint32_t packed = (uint32_t)in[0] << 24 | (uint32_t)in[1] << 16 | (uint32_t)in[2] << 8 | in[3];

        for (int i = 0; i < 5; i++) {
                int c = isrc_code_char((packed >> (26 - 6 * i)) & 0x3f);
                if (c < 0)
                        return c;
                code[i] = (char)c;
        }
        for (int i = 0; i < 7; i++) {
                uint8_t nibble = (uint8_t)(i % 2 == 0 ? in[4 + i / 2] >> 4 : in[4 + i / 2] & 0x0f);
                if (nibble > 9)
                        return -EBADMSG;
                code[5 + i] = (char)('0' + nibble);
        }
        code[RB_ISRC_CHARS] = '\0';
        return 0;
}

int rb_subq_encode(const rb_subq_t *q, uint8_t out[RB_Q_SIZE])
{
        int r = 0;

        if (q->control > 0x0f)
                return -EINVAL;
        memset(out, 0, RB_Q_SIZE);

        switch (q->kind) {
        case RB_SUBQ_POSITION:
                if (!((q->position.tno >= 1 && q->position.tno <= 99) ||
                      q->position.tno == RB_Q_TNO_LEADOUT) ||
                    q->position.index > 99)
                        return -EINVAL;
                out[0] = RB_Q_ADR_POSITION;
                out[1] = encode_number(q->position.tno);
                out[2] = rb_bcd_encode(q->position.index);
                r = put_msf(q->position.rel, out + 3);
                if (r == 0)
                        r = put_msf(q->position.abs, out + 7);
                break;
        case RB_SUBQ_LEADIN_TOC:
                if (q->toc.point == 0 || (q->toc.point > 99 && q->toc.point < 0xA0))
                        return -EINVAL;
                out[0] = RB_Q_ADR_POSITION;
                out[1] = RB_Q_TNO_LEADIN;
                out[2] = encode_number(q->toc.point);
                r = put_msf(q->toc.running, out + 3);
                if (r == 0)
                        r = put_msf(q->toc.p, out + 7);
                break;
        case RB_SUBQ_MCN:
                if (strnlen(q->mcn.digits, RB_MCN_DIGITS + 1) != RB_MCN_DIGITS ||
                    !all_digits(q->mcn.digits, RB_MCN_DIGITS) || q->mcn.aframe >= 75)
                        return -EINVAL;
                out[0] = RB_Q_ADR_MCN;
                for (int i = 0; i < RB_MCN_DIGITS; i++) {
                        uint8_t d = (uint8_t)(q->mcn.digits[i] - '0');
                        out[1 + i / 2] |= (uint8_t)(i % 2 == 0 ? d << 4 : d);
                }
                out[9] = rb_bcd_encode(q->mcn.aframe);
                break;
        case RB_SUBQ_ISRC:
                if (q->isrc.aframe >= 75)
                        return -EINVAL;
                out[0] = RB_Q_ADR_ISRC;
                r = encode_isrc(q->isrc.code, out + 1);
                out[9] = rb_bcd_encode(q->isrc.aframe);
                break;
        case RB_SUBQ_OTHER:
                if (q->adr > 0x0f)
                        return -EINVAL;
                out[0] = q->adr;
                memcpy(out + 1, q->raw, sizeof q->raw);
                break;
        default:
                return -EINVAL;
        }
        if (r < 0)
                return r;
        out[0] |= (uint8_t)(q->control << 4);
        rb_subq_set_crc(out);
        return 0;
}

int rb_subq_decode(const uint8_t in[RB_Q_SIZE], rb_subq_t *q)
{
        int r = 0;

        memset(q, 0, sizeof *q);
        q->control = in[0] >> 4;
        q->adr = in[0] & 0x0f;

        switch (q->adr) {
        case RB_Q_ADR_POSITION: {
                int tno = decode_number(in[1]);
                if (tno < 0)
                        return -EBADMSG;
                if (tno == RB_Q_TNO_LEADIN) {
                        int point = decode_number(in[2]);
                        if (point < 0)
                                return -EBADMSG;
                        q->kind = RB_SUBQ_LEADIN_TOC;
                        q->toc.point = (uint8_t)point;
                        r = get_msf(in + 3, &q->toc.running);
                        if (r == 0)
                                r = get_msf(in + 7, &q->toc.p);
                } else {
                        int index = rb_bcd_decode(in[2]);
                        if (index < 0)
                                return -EBADMSG;
                        q->kind = RB_SUBQ_POSITION;
                        q->position.tno = (uint8_t)tno;
                        q->position.index = (uint8_t)index;
                        r = get_msf(in + 3, &q->position.rel);
                        if (r == 0)
                                r = get_msf(in + 7, &q->position.abs);
                }
                break;
        }
        case RB_Q_ADR_MCN:
                q->kind = RB_SUBQ_MCN;
                for (int i = 0; i < RB_MCN_DIGITS; i++) {
                        uint8_t d = (uint8_t)(i % 2 == 0 ? in[1 + i / 2] >> 4 : in[1 + i / 2] & 0x0f);
                        if (d > 9)
                                return -EBADMSG;
                        q->mcn.digits[i] = (char)('0' + d);
                }
                r = rb_bcd_decode(in[9]);
                if (r >= 0) {
                        q->mcn.aframe = (uint8_t)r;
                        r = 0;
                }
                break;
        case RB_Q_ADR_ISRC:
                q->kind = RB_SUBQ_ISRC;
                r = decode_isrc(in + 1, q->isrc.code);
                if (r == 0) {
                        r = rb_bcd_decode(in[9]);
                        if (r >= 0) {
                                q->isrc.aframe = (uint8_t)r;
                                r = 0;
                        }
                }
                break;
        default:
                q->kind = RB_SUBQ_OTHER;
                memcpy(q->raw, in + 1, sizeof q->raw);
                break;
        }
        return r < 0 ? -EBADMSG : 0;
}

bool rb_subq_crc_ok(const uint8_t q[RB_Q_SIZE])
{
        uint16_t crc = (uint16_t)~rb_crc16_ccitt(q, 10);

        return q[10] == (uint8_t)(crc >> 8) && q[11] == (uint8_t)crc;
}

void rb_subq_set_crc(uint8_t q[RB_Q_SIZE])
{
        uint16_t crc = (uint16_t)~rb_crc16_ccitt(q, 10);

        q[10] = (uint8_t)(crc >> 8);
        q[11] = (uint8_t)crc;
}
