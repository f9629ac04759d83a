/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "imapi-errors.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/*
 * Every error of imapi2error.h (values and MessageText as the reference page
 * lists them, success codes left out) and the COM/Win32 codes the IMAPI2
 * recorder and RawCD pages document. Names drop the "E_IMAPI_" prefix and,
 * for the raw format's own errors, "DF2RAW_"; the other formats keep theirs
 * (Df2Data…, Df2Tao…, Erase…) so that no two errors share a name. Two
 * rawburn errors close the table, where IMAPI2 has no code.
 */
static const imapi_error errors[] = {
    {"RequestCancelled", "E_IMAPI_REQUEST_CANCELLED", 0xC0AA0002U, "The request was cancelled."},
    {"RecorderRequired", "E_IMAPI_RECORDER_REQUIRED", 0xC0AA0003U,
     "The request requires a current disc recorder to be selected."},
    {"BurnVerificationFailed", "E_IMAPI_BURN_VERIFICATION_FAILED", 0xC0AA0007U,
     "The disc did not pass burn verification and may contain corrupt data or be unusable."},
    {"RecorderNoSuchModePage", "E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE", 0xC0AA0201U,
     "The device reported that the requested mode page (and type) is not present."},
    {"RecorderMediaNoMedia", "E_IMAPI_RECORDER_MEDIA_NO_MEDIA", 0xC0AA0202U,
     "There is no media in the device."},
    {"RecorderMediaIncompatible", "E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE", 0xC0AA0203U,
     "The media is not compatible or of unknown physical format."},
    {"RecorderMediaUpsideDown", "E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN", 0xC0AA0204U,
     "The media is inserted upside down."},
    {"RecorderMediaBecomingReady", "E_IMAPI_RECORDER_MEDIA_BECOMING_READY", 0xC0AA0205U,
     "The drive reported that it is in the process of becoming ready.  Please try the request "
     "again later."},
    {"RecorderMediaFormatInProgress", "E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS", 0xC0AA0206U,
     "The media is currently being formatted.  Please wait for the format to complete before "
     "attempting to use the media."},
    {"RecorderMediaBusy", "E_IMAPI_RECORDER_MEDIA_BUSY", 0xC0AA0207U,
     "The drive reported that it is performing a long-running operation, such as finishing a "
     "write.  The drive may be unusable for a long period of time."},
    {"RecorderInvalidModeParameters", "E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS", 0xC0AA0208U,
     "The drive reported that the combination of parameters provided in the mode page for a MODE "
     "SELECT command were not supported."},
    {"RecorderMediaWriteProtected", "E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED", 0xC0AA0209U,
     "The drive reported that the media is write protected."},
    {"RecorderNoSuchFeature", "E_IMAPI_RECORDER_NO_SUCH_FEATURE", 0xC0AA020AU,
     "The feature page requested is not supported by the device."},
    {"RecorderFeatureIsNotCurrent", "E_IMAPI_RECORDER_FEATURE_IS_NOT_CURRENT", 0xC0AA020BU,
     "The feature page requested is supported, but is not marked as current."},
    {"RecorderGetConfigurationNotSupported", "E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED",
     0xC0AA020CU, "The drive does not support the GET CONFIGURATION command."},
    {"RecorderCommandTimeout", "E_IMAPI_RECORDER_COMMAND_TIMEOUT", 0xC0AA020DU,
     "The device failed to accept the command within the timeout period. This may be caused by the "
     "device having entered an inconsistent state, or the timeout value for the command may need "
     "to be increased."},
    {"RecorderDvdStructureNotPresent", "E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT", 0xC0AA020EU,
     "The DVD structure is not present. This may be caused by incompatible drive/medium used."},
    {"RecorderMediaSpeedMismatch", "E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH", 0xC0AA020FU,
     "The media's speed is incompatible with the device.  This may be caused by using higher or "
     "lower speed media than the range of speeds supported by the device."},
    {"RecorderLocked", "E_IMAPI_RECORDER_LOCKED", 0xC0AA0210U,
     "The device associated with this recorder during the last operation has been exclusively "
     "locked, causing this operation to failed."},
    {"RecorderClientNameIsNotValid", "E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID", 0xC0AA0211U,
     "The client name is not valid."},
    {"RecorderMediaNotFormatted", "E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED", 0xC0AA0212U,
     "The media is not formatted. Please format the media before attempting to use it."},
    {"RecorderInvalidResponseFromDevice", "E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE",
     0xC0AA02FFU, "The device reported unexpected or invalid data for a command."},
    {"LossOfStreaming", "E_IMAPI_LOSS_OF_STREAMING", 0xC0AA0300U,
     "The write failed because the drive did not receive data quickly enough to continue writing. "
     "Moving the source data to the local computer, reducing the write speed, or enabling a "
     "\"buffer underrun free\" setting may resolve this issue."},
    {"UnexpectedResponseFromDevice", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", 0xC0AA0301U,
     "The write failed because the drive returned error information that could not be recovered "
     "from."},
    {"WriteInProgress", "E_IMAPI_DF2RAW_WRITE_IN_PROGRESS", 0xC0AA0600U,
     "There is currently a write operation in progress."},
    {"WriteNotInProgress", "E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS", 0xC0AA0601U,
     "There is no write operation currently in progress."},
    {"MediaIsNotPrepared", "E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED", 0xC0AA0602U,
     "The requested operation is only valid when media has been \"prepared\"."},
    {"MediaIsPrepared", "E_IMAPI_DF2RAW_MEDIA_IS_PREPARED", 0xC0AA0603U,
     "The requested operation is not valid when media has been \"prepared\" but not released."},
    {"ClientNameIsNotValid", "E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID", 0xC0AA0604U,
     "The client name is not valid."},
    {"MediaIsNotBlank", "E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK", 0xC0AA0606U,
     "Only blank CD-R/RW media is supported."},
    {"MediaIsNotSupported", "E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED", 0xC0AA0607U,
     "Only blank CD-R/RW media is supported."},
    {"NotEnoughSpace", "E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE", 0xC0AA0609U,
     "There is not enough space on the media to add the provided session."},
    {"NoRecorderSpecified", "E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED", 0xC0AA060AU,
     "You cannot prepare the media until you choose a recorder to use."},
    {"StreamNotSupported", "E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED", 0xC0AA060DU,
     "The provided audio stream is not valid."},
    {"DataBlockTypeNotSupported", "E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED", 0xC0AA060EU,
     "The requested data block type is not supported by the current device."},
    {"StreamLeadinTooShort", "E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT", 0xC0AA060FU,
     "The stream does not contain a sufficient number of sectors in the leadin for the current "
     "media."},
    {"RecorderNotSupported", "E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED", 0xC0AA0610U,
     "This device does not support the operations required by this disc format."},
    {"RawImageIsReadOnly", "E_IMAPI_RAW_IMAGE_IS_READ_ONLY", 0x80AA0A00U,
     "The image has become read-only from a call to CreateResultImage().  The object can no longer "
     "be modified."},
    {"RawImageTooManyTracks", "E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS", 0x80AA0A01U,
     "No more tracks may be added, as CD media is restricted to track numbers between 1 and 99."},
    {"RawImageSectorTypeNotSupported", "E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED", 0x80AA0A02U,
     "The requested sector type is not supported."},
    {"RawImageNoTracks", "E_IMAPI_RAW_IMAGE_NO_TRACKS", 0x80AA0A03U,
     "Tracks must be added to the image before using this function."},
    {"RawImageTracksAlreadyAdded", "E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED", 0x80AA0A04U,
     "Tracks may not be added to the image prior to the use of this function."},
    {"RawImageInsufficientSpace", "E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE", 0x80AA0A05U,
     "Adding the track would result in exceeding the limit for the start of the leadout."},
    {"RawImageTooManyTrackIndexes", "E_IMAPI_RAW_IMAGE_TOO_MANY_TRACK_INDEXES", 0x80AA0A06U,
     "Adding the track index would result in exceeding the 99 index limit."},
    {"RawImageTrackIndexNotFound", "E_IMAPI_RAW_IMAGE_TRACK_INDEX_NOT_FOUND", 0x80AA0A07U,
     "The specified LBA offset is not in the list of track indexes."},
    {"RawImageTrackIndexOffsetZeroCannotBeCleared",
     "E_IMAPI_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED", 0x80AA0A09U,
     "Index 1 (LBA offset zero) may not be cleared."},
    {"RawImageTrackIndexTooCloseToOtherIndex",
     "E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX", 0x80AA0A0AU,
     "Each index must have a minimum size of ten sectors."},
    {"Df2DataWriteInProgress", "E_IMAPI_DF2DATA_WRITE_IN_PROGRESS", 0xC0AA0400U,
     "There is currently a write operation in progress."},
    {"Df2DataWriteNotInProgress", "E_IMAPI_DF2DATA_WRITE_NOT_IN_PROGRESS", 0xC0AA0401U,
     "There is no write operation currently in progress."},
    {"Df2DataInvalidMediaState", "E_IMAPI_DF2DATA_INVALID_MEDIA_STATE", 0xC0AA0402U,
     "The requested operation is only valid with supported media."},
    {"Df2DataStreamNotSupported", "E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED", 0xC0AA0403U,
     "The provided stream to write is not supported."},
    {"Df2DataStreamTooLargeForCurrentMedia", "E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA",
     0xC0AA0404U, "The provided stream to write is too large for the currently inserted media."},
    {"Df2DataMediaNotBlank", "E_IMAPI_DF2DATA_MEDIA_NOT_BLANK", 0xC0AA0405U,
     "Overwriting non-blank media is not allowed without the ForceOverwrite property set to "
     "VARIANT_TRUE."},
    {"Df2DataMediaIsNotSupported", "E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED", 0xC0AA0406U,
     "The current media type is unsupported."},
    {"Df2DataRecorderNotSupported", "E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED", 0xC0AA0407U,
     "This device does not support the operations required by this disc format."},
    {"Df2DataClientNameIsNotValid", "E_IMAPI_DF2DATA_CLIENT_NAME_IS_NOT_VALID", 0xC0AA0408U,
     "The client name is not valid."},
    {"Df2TaoWriteInProgress", "E_IMAPI_DF2TAO_WRITE_IN_PROGRESS", 0xC0AA0500U,
     "There is currently a write operation in progress."},
    {"Df2TaoWriteNotInProgress", "E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS", 0xC0AA0501U,
     "There is no write operation currently in progress."},
    {"Df2TaoMediaIsNotPrepared", "E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED", 0xC0AA0502U,
     "The requested operation is only valid when media has been \"prepared\"."},
    {"Df2TaoMediaIsPrepared", "E_IMAPI_DF2TAO_MEDIA_IS_PREPARED", 0xC0AA0503U,
     "The requested operation is not valid when media has been \"prepared\" but not released."},
    {"Df2TaoPropertyForBlankMediaOnly", "E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY", 0xC0AA0504U,
     "The property cannot be changed once the media has been written to."},
    {"Df2TaoTableOfContentsEmptyDisc", "E_IMAPI_DF2TAO_TABLE_OF_CONTENTS_EMPTY_DISC", 0xC0AA0505U,
     "The table of contents cannot be retrieved from an empty disc."},
    {"Df2TaoMediaIsNotBlank", "E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK", 0xC0AA0506U,
     "Only blank CD-R/RW media is supported."},
    {"Df2TaoMediaIsNotSupported", "E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED", 0xC0AA0507U,
     "Only blank CD-R/RW media is supported."},
    {"Df2TaoTrackLimitReached", "E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED", 0xC0AA0508U,
     "CD-R and CD-RW media support a maximum of 99 audio tracks."},
    {"Df2TaoNotEnoughSpace", "E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE", 0xC0AA0509U,
     "There is not enough space left on the media to add the provided audio track."},
    {"Df2TaoNoRecorderSpecified", "E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED", 0xC0AA050AU,
     "You cannot prepare the media until you choose a recorder to use."},
    {"Df2TaoInvalidIsrc", "E_IMAPI_DF2TAO_INVALID_ISRC", 0xC0AA050BU,
     "The ISRC provided is not valid."},
    {"Df2TaoInvalidMcn", "E_IMAPI_DF2TAO_INVALID_MCN", 0xC0AA050CU,
     "The Media Catalog Number provided is not valid."},
    {"Df2TaoStreamNotSupported", "E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED", 0xC0AA050DU,
     "The provided audio stream is not valid."},
    {"Df2TaoRecorderNotSupported", "E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED", 0xC0AA050EU,
     "This device does not support the operations required by this disc format."},
    {"Df2TaoClientNameIsNotValid", "E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID", 0xC0AA050FU,
     "The client name is not valid."},
    {"EraseRecorderInUse", "E_IMAPI_ERASE_RECORDER_IN_USE", 0x80AA0900U,
     "The format is currently using the disc recorder for an erase operation. Please wait for the "
     "erase to complete before attempting to set or clear the current disc recorder."},
    {"EraseOnlyOneRecorderSupported", "E_IMAPI_ERASE_ONLY_ONE_RECORDER_SUPPORTED", 0x80AA0901U,
     "The erase format only supports one recorder.  You must clear the current recorder before "
     "setting a new one."},
    {"EraseDiscInformationTooSmall", "E_IMAPI_ERASE_DISC_INFORMATION_TOO_SMALL", 0x80AA0902U,
     "The drive did not report sufficient data for a READ DISC INFORMATION command. The drive may "
     "not be supported, or the media may not be correct."},
    {"EraseModePage2aTooSmall", "E_IMAPI_ERASE_MODE_PAGE_2A_TOO_SMALL", 0x80AA0903U,
     "The drive did not report sufficient data for a MODE SENSE (page 0x2A) command. The drive may "
     "not be supported, or the media may not be correct."},
    {"EraseMediaIsNotErasable", "E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE", 0x80AA0904U,
     "The drive reported that the media is not erasable."},
    {"EraseDriveFailedEraseCommand", "E_IMAPI_ERASE_DRIVE_FAILED_ERASE_COMMAND", 0x80AA0905U,
     "The drive failed the erase command."},
    {"EraseTookLongerThanOneHour", "E_IMAPI_ERASE_TOOK_LONGER_THAN_ONE_HOUR", 0x80AA0906U,
     "The drive did not complete the erase in one hour.  The drive may require a power cycle, "
     "media removal, or other manual intervention to resume proper operation."},
    {"EraseUnexpectedDriveResponseDuringErase",
     "E_IMAPI_ERASE_UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE", 0x80AA0907U,
     "The drive returned an unexpected error during the erase.  The the media may be unusable, the "
     "erase may be complete, or the drive may still be in the process of erasing the disc."},
    {"EraseDriveFailedSpinupCommand", "E_IMAPI_ERASE_DRIVE_FAILED_SPINUP_COMMAND", 0x80AA0908U,
     "The drive returned an error for a START UNIT (spinup) command.  Manual intervention may be "
     "required."},
    {"EraseMediaIsNotSupported", "E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED", 0xC0AA0909U,
     "The current media type is unsupported."},
    {"EraseRecorderNotSupported", "E_IMAPI_ERASE_RECORDER_NOT_SUPPORTED", 0xC0AA090AU,
     "This device does not support the operations required by this disc format."},
    {"EraseClientNameIsNotValid", "E_IMAPI_ERASE_CLIENT_NAME_IS_NOT_VALID", 0xC0AA090BU,
     "The client name is not valid."},
    {"Fail", "E_FAIL", 0x80004005U, "Unspecified error."},
    {"InvalidArg", "E_INVALIDARG", 0x80070057U, "One or more arguments are invalid."},
    {"Pointer", "E_POINTER", 0x80004003U, "Invalid pointer."},
    {"OutOfMemory", "E_OUTOFMEMORY", 0x8007000EU, "Not enough memory to complete the operation."},
    {"AccessDenied", "E_ACCESSDENIED", 0x80070005U,
     "The device is currently being used by another application."},
    {"InvalidHandle", "HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)", 0x80070006U,
     "The handle to the device is invalid."},
    {"DeviceNotExist", "HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)", 0x80070037U,
     "The device does not exist: it was removed."},
    /* rawburn's own, where IMAPI2 has no code: customer HRESULTs (bit 29)
     * in IMAPI2's facility, so that no IMAPI2 value is taken. */
    {"VerifyFailed", "RAWBURN_E_VERIFY_FAILED", 0xE0AA0001U,
     "The disc does not read back as the image says: its table of contents, CD-Text or status "
     "differs."},
    {"TestWriteNotSupported", "RAWBURN_E_TEST_WRITE_NOT_SUPPORTED", 0xE0AA0002U,
     "The drive cannot simulate (Test Write) in this write mode."},
};

size_t imapi_error_count(void)
{
        return sizeof errors / sizeof errors[0];
}

const imapi_error *imapi_error_at(size_t i)
{
        return i < imapi_error_count() ? &errors[i] : NULL;
}

const imapi_error *imapi_error_lookup(const char *name)
{
        if (!name)
                return NULL;
        if (strncmp(name, RAWBURN_ERROR_PREFIX, strlen(RAWBURN_ERROR_PREFIX)) == 0)
                name += strlen(RAWBURN_ERROR_PREFIX);
        for (size_t i = 0; i < imapi_error_count(); i++)
                if (strcmp(errors[i].name, name) == 0)
                        return &errors[i];
        return NULL;
}

const imapi_error *imapi_error_by_hresult(uint32_t hresult)
{
        for (size_t i = 0; i < imapi_error_count(); i++)
                if (errors[i].hresult == hresult)
                        return &errors[i];
        return NULL;
}

char *imapi_error_format(const imapi_error *e, const char *detail, char *buf, size_t size)
{
        snprintf(buf, size, "%s (HRESULT 0x%08X)%s%s", e->message, (unsigned)e->hresult,
                 detail ? ": " : "", detail ? detail : "");
        return buf;
}

const char *imapi_error_from_errno(int error)
{
        switch (-error) {
        case ETIMEDOUT:
                return "RecorderCommandTimeout";
        case ENODEV:
        case ENXIO:
        case ENOENT:
                return "DeviceNotExist";
        case EBADF:
                return "InvalidHandle";
        case ENOMEM:
                return "OutOfMemory";
        case EBADMSG:
        case EPROTO:
                return "RecorderInvalidResponseFromDevice";
        case EBUSY:
        case EACCES:
        case EPERM:
                return "AccessDenied";
        default:
                return "Fail";
        }
}
