/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The return values of the raw image creator as IMAPI2 names them: the
 * E_IMAPI_RAW_IMAGE_* codes with their HRESULTs and message texts (the
 * SDK's imapi2error.h), and the generic HRESULTs for errnos.
 */
#include "rawburn/raw-image-creator.h"

#include <errno.h>
#include <string.h>

#define SEVERITY_ERROR 0x80000000u

static const struct code {
        rb_raw_image_error_t code;
        const char *name;
        const char *message;
} codes[] = {
    {RB_E_RAW_IMAGE_IS_READ_ONLY, "E_IMAPI_RAW_IMAGE_IS_READ_ONLY",
     "The image has become read-only from a call to CreateResultImage().  The object can no "
     "longer be modified."},
    {RB_E_RAW_IMAGE_TOO_MANY_TRACKS, "E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS",
     "No more tracks may be added, as CD media is restricted to track numbers between 1 and 99."},
    {RB_E_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED, "E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED",
     "The requested sector type is not supported."},
    {RB_E_RAW_IMAGE_NO_TRACKS, "E_IMAPI_RAW_IMAGE_NO_TRACKS",
     "Tracks must be added to the image before using this function."},
    {RB_E_RAW_IMAGE_TRACKS_ALREADY_ADDED, "E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED",
     "Tracks may not be added to the image prior to the use of this function."},
    {RB_E_RAW_IMAGE_INSUFFICIENT_SPACE, "E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE",
     "Adding the track would result in exceeding the limit for the start of the leadout."},
    {RB_E_RAW_IMAGE_TOO_MANY_TRACK_INDEXES, "E_IMAPI_RAW_IMAGE_TOO_MANY_TRACK_INDEXES",
     "Adding the track index would result in exceeding the 99 index limit."},
    {RB_E_RAW_IMAGE_TRACK_INDEX_NOT_FOUND, "E_IMAPI_RAW_IMAGE_TRACK_INDEX_NOT_FOUND",
     "The specified LBA offset is not in the list of track indexes."},
    {RB_S_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS, "S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS",
     "The specified LBA offset is already in the list of track indexes."},
    {RB_E_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED,
     "E_IMAPI_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED",
     "Index 1 (LBA offset zero) may not be cleared."},
    {RB_E_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX,
     "E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX",
     "Each index must have a minimum size of ten sectors."},
};

/* The entry of a return value: negative for the E_ codes, positive for the S_ one. */
static const struct code *find(int r)
{
        for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
                int c = (int)codes[i].code;
                if (r == (codes[i].code == RB_S_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS ? c : -c))
                        return &codes[i];
        }
        return NULL;
}

uint32_t rb_raw_image_error_hresult(int r)
{
        const struct code *c = find(r);

        if (c)
                return r > 0 ? (uint32_t)c->code : SEVERITY_ERROR | (uint32_t)c->code;
        if (r >= 0)
                return 0; /* S_OK */
        switch (r) {
        case -ENOMEM:
                return 0x8007000Eu; /* E_OUTOFMEMORY */
        case -EINVAL:
        case -ERANGE:
                return 0x80070057u; /* E_INVALIDARG */
        default:
                return 0x80004005u; /* E_FAIL */
        }
}

const char *rb_raw_image_error_name(int r)
{
        const struct code *c = find(r);

        if (c)
                return c->name;
        switch (rb_raw_image_error_hresult(r)) {
        case 0:
                return "S_OK";
        case 0x8007000Eu:
                return "E_OUTOFMEMORY";
        case 0x80070057u:
                return "E_INVALIDARG";
        default:
                return "E_FAIL";
        }
}

const char *rb_raw_image_error_message(int r)
{
        const struct code *c = find(r);

        if (c)
                return c->message;
        if (r >= 0)
                return "Success.";
        return strerror(-r);
}
