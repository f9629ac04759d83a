/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Binary CD-Text files (cdtext-file.h). */
#include "rawburn/cdtext-file.h"

#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rawburn/cdtext.h"

/* 8 blocks of 256 packs, the header and a trailing NUL. */
#define MAX_FILE (RB_CDTEXT_MAX_BLOCKS * RB_CDTEXT_MAX_PACKS * RB_CDTEXT_PACK_SIZE + 5)

int rb_cdtext_file_parse(const char *name, const uint8_t *data, size_t len, uint8_t **packs,
                         size_t *count, char *err, size_t errlen)
{
        size_t skip = 0;

        /* A trailing NUL (Sony's files; some writers add one after the header too). */
        if (len % RB_CDTEXT_PACK_SIZE == 1 || len % RB_CDTEXT_PACK_SIZE == 5)
                if (data[len - 1] == 0)
                        len--;
        /* The header: the length of what follows its first two bytes, then 00 00.
         * A pack starts with its type, 80h or more; the header's first byte is
         * below that for any file of less than 32 KiB. */
        if (len >= 4 && (len - 4) % RB_CDTEXT_PACK_SIZE == 0 && data[2] == 0 && data[3] == 0 &&
            (data[0] < 0x80 || (size_t)(data[0] << 8 | data[1]) + 2 == len))
                skip = 4;
        len -= skip;
        if (len == 0 || len % RB_CDTEXT_PACK_SIZE)
                return rb__fail(err, errlen, -EINVAL,
                                "%s: %zu bytes are not CD-Text packs (18 bytes each, after an "
                                "optional 4-byte header)",
                                name, len + skip);
        size_t n = len / RB_CDTEXT_PACK_SIZE;
        if (n > RB_CDTEXT_MAX_BLOCKS * RB_CDTEXT_MAX_PACKS)
                return rb__fail(err, errlen, -EINVAL, "%s: %zu packs, more than 8 blocks hold",
                                name, n);
        uint8_t *out = malloc(len);
        if (!out)
                return -ENOMEM;
        memcpy(out, data + skip, len);
        bool all_zero = true;
        for (size_t i = 0; i < n; i++)
                if (out[i * RB_CDTEXT_PACK_SIZE + 16] || out[i * RB_CDTEXT_PACK_SIZE + 17])
                        all_zero = false;
        for (size_t i = 0; i < n; i++) {
                uint8_t *p = out + i * RB_CDTEXT_PACK_SIZE;
                int r = 0;
                if (p[0] < 0x80 || p[0] > 0x8F)
                        r = rb__fail(err, errlen, -EINVAL,
                                     "%s: pack %zu (byte %zu): type %02Xh is not a CD-Text pack "
                                     "type (80h-8Fh)",
                                     name, i, skip + i * RB_CDTEXT_PACK_SIZE, p[0]);
                else if (all_zero)
                        rb_cdtext_pack_set_crc(p);
                else if (!rb_cdtext_pack_crc_ok(p))
                        r = rb__fail(err, errlen, -EINVAL,
                                     "%s: pack %zu (byte %zu): wrong CRC %02X%02X", name, i,
                                     skip + i * RB_CDTEXT_PACK_SIZE, p[16], p[17]);
                if (r < 0) {
                        free(out);
                        return r;
                }
        }
        char problems[512];
        if (rb_cdtext_check(out, n, problems, sizeof problems)) {
                free(out);
                return rb__fail(err, errlen, -EINVAL, "%s: %s", name, problems);
        }
        *packs = out;
        *count = n;
        return 0;
}

int rb_cdtext_file_load(const char *path, uint8_t **packs, size_t *count, char *err, size_t errlen)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT)
                return rb__fail(err, errlen, -ENOENT, "not found: %s", path);
        if (fd < 0)
                return rb__fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
        uint8_t *buf = malloc(MAX_FILE + 1);
        size_t len = 0;
        int r = 0;
        if (!buf) {
                close(fd);
                return -ENOMEM;
        }
        while (len <= MAX_FILE) {
                ssize_t n = read(fd, buf + len, MAX_FILE + 1 - len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        r = rb__fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
                        break;
                }
                if (n == 0)
                        break;
                len += (size_t)n;
        }
        close(fd);
        if (r == 0 && len > MAX_FILE)
                r = rb__fail(err, errlen, -EFBIG, "%s: too large for CD-Text", path);
        if (r == 0)
                r = rb_cdtext_file_parse(path, buf, len, packs, count, err, errlen);
        free(buf);
        return r;
}

int rb_cdtext_file_save(const char *path, const uint8_t *packs, size_t count, char *err,
                        size_t errlen)
{
        size_t len = count * RB_CDTEXT_PACK_SIZE;
        if (len + 2 > 0xFFFF)
                return rb__fail(err, errlen, -EFBIG, "%s: %zu packs do not fit the header", path,
                                count);
        uint8_t head[4] = {(uint8_t)((len + 2) >> 8), (uint8_t)(len + 2), 0, 0};
        FILE *f = fopen(path, "wb");
        if (!f)
                return rb__fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
        bool ok = fwrite(head, 1, 4, f) == 4 && fwrite(packs, 1, len, f) == len;
        if (fclose(f) != 0)
                ok = false;
        if (!ok)
                return rb__fail(err, errlen, -EIO, "%s: write error", path);
        return 0;
}
