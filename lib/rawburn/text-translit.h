/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Latin transliteration of text a CD-Text block's character code cannot
 * hold (ICU's "Russian-Latin/BGN; Any-Latin; Latin-ASCII": "Солнце" →
 * "Solntse", "Ωmega" →
 * "Omega", "Łódź" → "Lodz", "“x”" → "\"x\""), applied only to the
 * characters outside the target set, so "Déjà" stays "Déjà" in ISO-8859-1.
 * Players show Latin-1 or ASCII; mojibake or a row of '?' helps nobody.
 */

#include <stdbool.h>

typedef struct rb_translit rb_translit_t;

/* latin1: keep 20h-7Eh and A0h-FFh (ISO-8859-1); else 20h-7Eh (ASCII). */
int rb_translit_new(bool latin1, rb_translit_t **ret);
void rb_translit_free(rb_translit_t *t);

/* *out (free()): utf8 with what the set cannot hold transliterated; what
 * has no Latin form is left as it was. Returns 0, -ENOMEM or -EIO. */
int rb_translit(rb_translit_t *t, const char *utf8, char **out);
