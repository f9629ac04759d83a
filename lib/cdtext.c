/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The CD-Text model: blocks, strings, genre and language names (cdtext.h). */
#include "rawburn/cdtext.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
        uint8_t type;
        const char *name;
} fields[RB_CDTEXT_FIELD_COUNT] = {
    [RB_CDTEXT_TITLE] = {0x80, "TITLE"},           [RB_CDTEXT_PERFORMER] = {0x81, "PERFORMER"},
    [RB_CDTEXT_SONGWRITER] = {0x82, "SONGWRITER"}, [RB_CDTEXT_COMPOSER] = {0x83, "COMPOSER"},
    [RB_CDTEXT_ARRANGER] = {0x84, "ARRANGER"},     [RB_CDTEXT_MESSAGE] = {0x85, "MESSAGE"},
    [RB_CDTEXT_DISC_ID] = {0x86, "DISC_ID"},       [RB_CDTEXT_GENRE] = {0x87, "GENRE"},
    [RB_CDTEXT_CLOSED] = {0x8D, "CLOSED"},         [RB_CDTEXT_UPC_ISRC] = {0x8E, "UPC_EAN"},
};

/* Genre codes 0000h-001Bh as Sony lists them (libburn doc/cdtext.txt). */
static const char *const genres[] = {
    "Not Used",
    "Not Defined",
    "Adult Contemporary",
    "Alternative Rock",
    "Childrens Music",
    "Classical",
    "Contemporary Christian",
    "Country",
    "Dance",
    "Easy Listening",
    "Erotic",
    "Folk",
    "Gospel",
    "Hip Hop",
    "Jazz",
    "Latin",
    "Musical",
    "New Age",
    "Opera",
    "Operetta",
    "Pop Music",
    "Rap",
    "Reggae",
    "Rock Music",
    "Rhythm & Blues",
    "Sound Effects",
    "Spoken Word",
    "World Music",
};

/* What rippers write in REM GENRE for a list entry. */
static const struct {
        const char *alias;
        int code;
} genre_aliases[] = {
    {"Rock", 0x17},
    {"Pop", 0x14},
    {"R&B", 0x18},
    {"RnB", 0x18},
    {"Rhythm and Blues", 0x18},
    {"Hip-Hop", 0x0D},
    {"HipHop", 0x0D},
    {"Children", 0x04},
    {"Children's Music", 0x04},
    {"Christian", 0x06},
    {"Alternative", 0x03},
    {"Alt Rock", 0x03},
    {"World", 0x1B},
    {"Spoken", 0x1A},
    {"Speech", 0x1A},
    {"Audiobook", 0x1A},
    {"Sound Effect", 0x19},
    {"Easy", 0x09},
    {"Classic", 0x05},
    {"Adult", 0x02},
};

/* Language codes 00h-2Bh and 45h-7Fh (EBU Tech 3264 appendix 3, as
 * libburn doc/cdtext.txt lists them). NULL: unassigned. */
static const char *const languages[128] = {
    [0x00] = "Unknown",      [0x01] = "Albanian",      [0x02] = "Breton",
    [0x03] = "Catalan",      [0x04] = "Croatian",      [0x05] = "Welsh",
    [0x06] = "Czech",        [0x07] = "Danish",        [0x08] = "German",
    [0x09] = "English",      [0x0a] = "Spanish",       [0x0b] = "Esperanto",
    [0x0c] = "Estonian",     [0x0d] = "Basque",        [0x0e] = "Faroese",
    [0x0f] = "French",       [0x10] = "Frisian",       [0x11] = "Irish",
    [0x12] = "Gaelic",       [0x13] = "Galician",      [0x14] = "Icelandic",
    [0x15] = "Italian",      [0x16] = "Lappish",       [0x17] = "Latin",
    [0x18] = "Latvian",      [0x19] = "Luxembourgian", [0x1a] = "Lithuanian",
    [0x1b] = "Hungarian",    [0x1c] = "Maltese",       [0x1d] = "Dutch",
    [0x1e] = "Norwegian",    [0x1f] = "Occitan",       [0x20] = "Polish",
    [0x21] = "Portuguese",   [0x22] = "Romanian",      [0x23] = "Romansh",
    [0x24] = "Serbian",      [0x25] = "Slovak",        [0x26] = "Slovenian",
    [0x27] = "Finnish",      [0x28] = "Swedish",       [0x29] = "Turkish",
    [0x2a] = "Flemish",      [0x2b] = "Wallon",        [0x45] = "Zulu",
    [0x46] = "Vietnamese",   [0x47] = "Uzbek",         [0x48] = "Urdu",
    [0x49] = "Ukrainian",    [0x4a] = "Thai",          [0x4b] = "Telugu",
    [0x4c] = "Tatar",        [0x4d] = "Tamil",         [0x4e] = "Tadzhik",
    [0x4f] = "Swahili",      [0x50] = "Sranan Tongo",  [0x51] = "Somali",
    [0x52] = "Sinhalese",    [0x53] = "Shona",         [0x54] = "Serbo-croat",
    [0x55] = "Ruthenian",    [0x56] = "Russian",       [0x57] = "Quechua",
    [0x58] = "Pushtu",       [0x59] = "Punjabi",       [0x5a] = "Persian",
    [0x5b] = "Papamiento",   [0x5c] = "Oriya",         [0x5d] = "Nepali",
    [0x5e] = "Ndebele",      [0x5f] = "Marathi",       [0x60] = "Moldavian",
    [0x61] = "Malaysian",    [0x62] = "Malagasay",     [0x63] = "Macedonian",
    [0x64] = "Laotian",      [0x65] = "Korean",        [0x66] = "Khmer",
    [0x67] = "Kazakh",       [0x68] = "Kannada",       [0x69] = "Japanese",
    [0x6a] = "Indonesian",   [0x6b] = "Hindi",         [0x6c] = "Hebrew",
    [0x6d] = "Hausa",        [0x6e] = "Gurani",        [0x6f] = "Gujurati",
    [0x70] = "Greek",        [0x71] = "Georgian",      [0x72] = "Fulani",
    [0x73] = "Dari",         [0x74] = "Churash",       [0x75] = "Chinese",
    [0x76] = "Burmese",      [0x77] = "Bulgarian",     [0x78] = "Bengali",
    [0x79] = "Bielorussian", [0x7a] = "Bambora",       [0x7b] = "Azerbaijani",
    [0x7c] = "Assamese",     [0x7d] = "Armenian",      [0x7e] = "Arabic",
    [0x7f] = "Amharic",
};

/* ISO 639-1 codes of the languages people put on CDs (cdrdao writes EN). */
static const struct {
        const char iso[3];
        uint8_t code;
} iso639[] = {
    {"sq", 0x01}, {"br", 0x02}, {"ca", 0x03}, {"hr", 0x04}, {"cy", 0x05}, {"cs", 0x06},
    {"da", 0x07}, {"de", 0x08}, {"en", 0x09}, {"es", 0x0a}, {"eo", 0x0b}, {"et", 0x0c},
    {"eu", 0x0d}, {"fo", 0x0e}, {"fr", 0x0f}, {"fy", 0x10}, {"ga", 0x11}, {"gd", 0x12},
    {"gl", 0x13}, {"is", 0x14}, {"it", 0x15}, {"la", 0x17}, {"lv", 0x18}, {"lb", 0x19},
    {"lt", 0x1a}, {"hu", 0x1b}, {"mt", 0x1c}, {"nl", 0x1d}, {"no", 0x1e}, {"oc", 0x1f},
    {"pl", 0x20}, {"pt", 0x21}, {"ro", 0x22}, {"rm", 0x23}, {"sr", 0x24}, {"sk", 0x25},
    {"sl", 0x26}, {"fi", 0x27}, {"sv", 0x28}, {"tr", 0x29}, {"zu", 0x45}, {"vi", 0x46},
    {"uz", 0x47}, {"ur", 0x48}, {"uk", 0x49}, {"th", 0x4a}, {"te", 0x4b}, {"tt", 0x4c},
    {"ta", 0x4d}, {"tg", 0x4e}, {"sw", 0x4f}, {"so", 0x51}, {"si", 0x52}, {"sn", 0x53},
    {"ru", 0x56}, {"qu", 0x57}, {"ps", 0x58}, {"pa", 0x59}, {"fa", 0x5a}, {"or", 0x5c},
    {"ne", 0x5d}, {"mr", 0x5f}, {"mk", 0x63}, {"lo", 0x64}, {"ko", 0x65}, {"km", 0x66},
    {"kk", 0x67}, {"kn", 0x68}, {"ja", 0x69}, {"id", 0x6a}, {"hi", 0x6b}, {"he", 0x6c},
    {"ha", 0x6d}, {"gn", 0x6e}, {"gu", 0x6f}, {"el", 0x70}, {"ka", 0x71}, {"ff", 0x72},
    {"zh", 0x75}, {"my", 0x76}, {"bg", 0x77}, {"bn", 0x78}, {"be", 0x79}, {"bm", 0x7a},
    {"az", 0x7b}, {"as", 0x7c}, {"hy", 0x7d}, {"ar", 0x7e}, {"am", 0x7f},
};

uint8_t rb_cdtext_pack_type(rb_cdtext_field_t f)
{
        return fields[f].type;
}

const char *rb_cdtext_field_name(rb_cdtext_field_t f)
{
        return fields[f].name;
}

int rb_cdtext_field_from_keyword(const char *keyword)
{
        for (int f = 0; f < RB_CDTEXT_FIELD_COUNT; f++)
                if (strcasecmp(keyword, fields[f].name) == 0)
                        return f;
        if (strcasecmp(keyword, "ISRC") == 0 || strcasecmp(keyword, "UPC_ISRC") == 0)
                return RB_CDTEXT_UPC_ISRC;
        return -EINVAL;
}

int rb_cdtext_field_of_type(uint8_t type)
{
        for (int f = 0; f < RB_CDTEXT_FIELD_COUNT; f++)
                if (fields[f].type == type)
                        return f;
        return -1;
}

bool rb_cdtext_field_disc_only(rb_cdtext_field_t f)
{
        return f == RB_CDTEXT_DISC_ID || f == RB_CDTEXT_GENRE || f == RB_CDTEXT_CLOSED;
}

rb_cdtext_block_t *rb_cdtext_block(rb_cdtext_t *t, unsigned block)
{
        if (block >= RB_CDTEXT_MAX_BLOCKS)
                return NULL;
        if (!t->blocks[block]) {
                rb_cdtext_block_t *b = calloc(1, sizeof *b);
                if (!b)
                        return NULL;
                b->charset = RB_CDTEXT_CHARSET_AUTO;
                b->language = RB_CDTEXT_LANGUAGE_AUTO;
                b->genre = RB_CDTEXT_GENRE_NONE;
                t->blocks[block] = b;
        }
        return t->blocks[block];
}

const rb_cdtext_block_t *rb_cdtext_block_get(const rb_cdtext_t *t, unsigned block)
{
        return block < RB_CDTEXT_MAX_BLOCKS ? t->blocks[block] : NULL;
}

int rb_cdtext_set_block(rb_cdtext_t *t, unsigned block, rb_cdtext_field_t f, unsigned track,
                        const char *utf8)
{
        char *copy = NULL;

        if (track > 99 || (unsigned)f >= RB_CDTEXT_FIELD_COUNT || block >= RB_CDTEXT_MAX_BLOCKS)
                return -EINVAL;
        if (!utf8 && !t->blocks[block])
                return 0;
        rb_cdtext_block_t *b = rb_cdtext_block(t, block);
        if (!b)
                return -ENOMEM;
        if (utf8 && !(copy = strdup(utf8)))
                return -ENOMEM;
        free(b->text[f][track]);
        b->text[f][track] = copy;
        return 0;
}

int rb_cdtext_set(rb_cdtext_t *t, rb_cdtext_field_t f, unsigned track, const char *utf8)
{
        return rb_cdtext_set_block(t, 0, f, track, utf8);
}

const char *rb_cdtext_get(const rb_cdtext_t *t, unsigned block, rb_cdtext_field_t f, unsigned track)
{
        const rb_cdtext_block_t *b = rb_cdtext_block_get(t, block);
        if (!b || track > 99 || (unsigned)f >= RB_CDTEXT_FIELD_COUNT)
                return NULL;
        return b->text[f][track];
}

void rb_cdtext_clear(rb_cdtext_t *t)
{
        for (int k = 0; k < RB_CDTEXT_MAX_BLOCKS; k++) {
                rb_cdtext_block_t *b = t->blocks[k];
                if (!b)
                        continue;
                for (int f = 0; f < RB_CDTEXT_FIELD_COUNT; f++)
                        for (int i = 0; i < 100; i++)
                                free(b->text[f][i]);
                free(b);
                t->blocks[k] = NULL;
        }
}

bool rb_cdtext_block_has_text(const rb_cdtext_block_t *b)
{
        if (!b)
                return false;
        if (b->genre != RB_CDTEXT_GENRE_NONE)
                return true;
        for (int f = 0; f < RB_CDTEXT_FIELD_COUNT; f++)
                for (int i = 0; i < 100; i++)
                        if (b->text[f][i])
                                return true;
        return false;
}

bool rb_cdtext_any(const rb_cdtext_t *t)
{
        for (int k = 0; k < RB_CDTEXT_MAX_BLOCKS; k++)
                if (rb_cdtext_block_has_text(t->blocks[k]))
                        return true;
        return false;
}

unsigned rb_cdtext_block_count(const rb_cdtext_t *t)
{
        unsigned n = 0;
        while (n < RB_CDTEXT_MAX_BLOCKS && rb_cdtext_block_has_text(t->blocks[n]))
                n++;
        return n;
}

int rb_cdtext_merge(rb_cdtext_t *dst, const rb_cdtext_t *src)
{
        for (unsigned k = 0; k < RB_CDTEXT_MAX_BLOCKS; k++) {
                const rb_cdtext_block_t *s = src->blocks[k];
                if (!rb_cdtext_block_has_text(s))
                        continue;
                rb_cdtext_block_t *d = rb_cdtext_block(dst, k);
                if (!d)
                        return -ENOMEM;
                if (d->charset == RB_CDTEXT_CHARSET_AUTO)
                        d->charset = s->charset;
                if (d->language == RB_CDTEXT_LANGUAGE_AUTO)
                        d->language = s->language;
                if (d->genre == RB_CDTEXT_GENRE_NONE)
                        d->genre = s->genre;
                d->copyright = d->copyright || s->copyright;
                for (int f = 0; f < RB_CDTEXT_FIELD_COUNT; f++)
                        for (int i = 0; i < 100; i++)
                                if (s->text[f][i] && !d->text[f][i] &&
                                    !(d->text[f][i] = strdup(s->text[f][i])))
                                        return -ENOMEM;
        }
        return 0;
}

static bool hex_number(const char *s, unsigned max, int *v)
{
        char *end;
        if (strncasecmp(s, "0x", 2) != 0 || !isxdigit((unsigned char)s[2]))
                return false;
        unsigned long n = strtoul(s + 2, &end, 16);
        if (*end || n > max)
                return false;
        *v = (int)n;
        return true;
}

int rb_cdtext_genre_from_name(const char *name)
{
        int v;
        if (hex_number(name, 0xFFFF, &v))
                return v;
        for (size_t i = 0; i < sizeof genres / sizeof genres[0]; i++)
                if (strcasecmp(name, genres[i]) == 0)
                        return (int)i;
        for (size_t i = 0; i < sizeof genre_aliases / sizeof genre_aliases[0]; i++)
                if (strcasecmp(name, genre_aliases[i].alias) == 0)
                        return genre_aliases[i].code;
        return -1;
}

const char *rb_cdtext_genre_name(int code)
{
        if (code < 0 || (size_t)code >= sizeof genres / sizeof genres[0])
                return "?";
        return genres[code];
}

int rb_cdtext_language_from_name(const char *name)
{
        int v;
        char *end;

        if (hex_number(name, 0xFF, &v))
                return v;
        if (isdigit((unsigned char)name[0])) {
                unsigned long n = strtoul(name, &end, 10);
                return *end || n > 255 ? -1 : (int)n;
        }
        for (int i = 0; i < 128; i++)
                if (languages[i] && strcasecmp(name, languages[i]) == 0)
                        return i;
        if (strcasecmp(name, "SrananTongo") == 0) /* libcdio's spelling */
                return 0x50;
        if (strlen(name) == 2)
                for (size_t i = 0; i < sizeof iso639 / sizeof iso639[0]; i++)
                        if (strcasecmp(name, iso639[i].iso) == 0)
                                return iso639[i].code;
        return -1;
}

const char *rb_cdtext_language_name(int code)
{
        if (code < 0 || code >= 128 || !languages[code])
                return "Unknown";
        return languages[code];
}

const char *rb_cdtext_charset_name(int charset)
{
        switch (charset) {
        case RB_CDTEXT_CHARSET_ISO8859_1:
                return "ISO-8859-1";
        case RB_CDTEXT_CHARSET_ASCII:
                return "ASCII";
        case RB_CDTEXT_CHARSET_MS_JIS:
                return "MS-JIS";
        case RB_CDTEXT_CHARSET_AUTO:
                return "auto";
        }
        return "unknown";
}
