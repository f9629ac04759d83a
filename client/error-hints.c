/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sentence and exit status for every D-Bus error rawburnctl can meet. */
#include "error-hints.h"

#include <string.h>

#include "exit-status.h"
#include "rawburn-bus.h"

#define RB(n) RAWBURN_ERROR_PREFIX n
#define FD(n) "org.freedesktop.DBus.Error." n

/* Hints are written for someone at a burner with a disc in hand: what
 * happened in plain words, a colon, what to try. rawburnctl adds the drive's
 * name in front and, with --verbose, the daemon's message and sense after. */
static const error_hint hints[] = {
    /* ---- the IDiscFormat2RawCD and recorder errors a burn meets */
    {RB("RequestCancelled"),
     "the burn was cancelled: a CD-R written this far cannot be used again, a CD-RW must be "
     "erased before its next burn",
     EXIT_CANCELLED},
    {RB("RecorderRequired"), "no drive was chosen: name one with --drive (see rawburnctl list)",
     EXIT_NO_DRIVE},
    {RB("BurnVerificationFailed"),
     "the disc does not read back as the image says and may be unusable: try another disc, or a "
     "lower speed with --speed",
     EXIT_VERIFY},
    {RB("VerifyFailed"),
     "the disc does not read back as the image says (its table of contents, CD-Text or status "
     "differs): try another disc, or a lower speed with --speed",
     EXIT_VERIFY},
    {RB("TestWriteNotSupported"),
     "this drive cannot rehearse in this write mode: burn without --simulate, or use a drive "
     "whose modes include TEST/RAW (rawburnctl drives)",
     EXIT_UNSUPPORTED},
    {RB("RecorderNoSuchModePage"),
     "the drive lacks a settings page that raw burning needs: this drive cannot burn in raw mode, "
     "use another one",
     EXIT_UNSUPPORTED},
    {RB("RecorderMediaNoMedia"),
     "there is no disc in the drive: insert a blank CD-R or CD-RW and try again", EXIT_MEDIA},
    {RB("RecorderMediaIncompatible"),
     "the drive cannot use this disc (unknown or incompatible format): insert a blank CD-R or "
     "CD-RW",
     EXIT_MEDIA},
    {RB("RecorderMediaUpsideDown"),
     "the disc seems to be upside down: put it in label side up and try again", EXIT_MEDIA},
    {RB("RecorderMediaBecomingReady"),
     "the drive is not ready with the disc yet (spinning it up, or the system still reading it): "
     "wait a few seconds and try again",
     EXIT_BUSY},
    {RB("RecorderMediaFormatInProgress"),
     "the disc is being formatted: wait until the format has finished, then try again", EXIT_BUSY},
    {RB("RecorderMediaBusy"),
     "the drive is busy with a long operation, such as finishing a write: wait until it is done, "
     "then try again",
     EXIT_BUSY},
    {RB("RecorderInvalidModeParameters"),
     "the drive refused the write settings: try another --sector-type, leave out --simulate, or "
     "use another drive",
     EXIT_UNSUPPORTED},
    {RB("RecorderMediaWriteProtected"),
     "the disc is write-protected: insert a blank CD-R or CD-RW that can be written", EXIT_MEDIA},
    {RB("RecorderNoSuchFeature"), "the drive lacks a feature this needs: use another drive",
     EXIT_UNSUPPORTED},
    {RB("RecorderFeatureIsNotCurrent"),
     "the drive can do this, but not with the disc in it: try a blank CD-R or CD-RW", EXIT_MEDIA},
    {RB("RecorderGetConfigurationNotSupported"),
     "the drive does not describe its features (it predates MMC-2): use a newer drive",
     EXIT_UNSUPPORTED},
    {RB("RecorderCommandTimeout"),
     "the drive stopped answering: eject and reinsert the disc, or unplug and replug the drive, "
     "then try again",
     EXIT_FAILED},
    {RB("RecorderDvdStructureNotPresent"),
     "the drive found no DVD structure on this disc: insert a blank CD-R or CD-RW", EXIT_MEDIA},
    {RB("RecorderMediaSpeedMismatch"),
     "the disc's speed rating does not suit this drive: try discs of another make or speed, or "
     "another --speed",
     EXIT_MEDIA},
    {RB("RecorderLocked"),
     "another program is using the drive (rawburnctl info names it): wait until it has "
     "finished, or close it",
     EXIT_BUSY},
    {RB("RecorderClientNameIsNotValid"),
     "the client name is not valid: use 1 to 64 printable ASCII characters", EXIT_USAGE},
    {RB("RecorderMediaNotFormatted"), "the disc is not formatted: insert a blank CD-R or CD-RW",
     EXIT_MEDIA},
    {RB("RecorderInvalidResponseFromDevice"),
     "the drive gave an answer that makes no sense: try again; if it keeps happening, the drive "
     "may be faulty",
     EXIT_FAILED},
    {RB("LossOfStreaming"),
     "the drive ran out of data: turn BURN-Free on (leave out --no-burnfree), lower the speed "
     "with --speed, or burn from a local file",
     EXIT_FAILED},
    {RB("UnexpectedResponseFromDevice"),
     "the drive reported a write error it could not recover from; the disc is probably "
     "unusable: try another disc, or a lower speed with --speed",
     EXIT_FAILED},
    {RB("WriteInProgress"),
     "the drive is already burning a disc: wait until it has finished (rawburnctl monitor shows "
     "its progress)",
     EXIT_BUSY},
    {RB("WriteNotInProgress"), "nothing is being burned on this drive", EXIT_FAILED},
    {RB("MediaIsNotPrepared"),
     "the drive was not ready for writing (it was not prepared, or was released meanwhile): try "
     "the burn again",
     EXIT_FAILED},
    {RB("MediaIsPrepared"),
     "this program already holds the drive for a burn: let that burn finish first", EXIT_BUSY},
    {RB("ClientNameIsNotValid"),
     "the client name is not valid: use 1 to 64 printable ASCII characters", EXIT_USAGE},
    {RB("MediaIsNotBlank"),
     "the disc is not blank: insert a blank CD-R, or a CD-RW that has been erased", EXIT_MEDIA},
    {RB("MediaIsNotSupported"),
     "this disc cannot be burned in raw mode: insert a blank CD-R or CD-RW", EXIT_MEDIA},
    {RB("NotEnoughSpace"),
     "the image does not fit on this disc: use a longer disc (80 minutes) or leave out tracks",
     EXIT_MEDIA},
    {RB("NoRecorderSpecified"), "no drive was chosen: name one with --drive (see rawburnctl list)",
     EXIT_NO_DRIVE},
    {RB("StreamNotSupported"),
     "the image is not a raw DAO-96 stream the drive can take: make it with rawburnctl image "
     "create, and check --sector-type",
     EXIT_SOURCE},
    {RB("DataBlockTypeNotSupported"),
     "the drive cannot write this sector type: choose another with --sector-type (rawburnctl "
     "info lists what the drive takes)",
     EXIT_UNSUPPORTED},
    {RB("StreamLeadinTooShort"),
     "the image's lead-in starts later than this disc's: make the image again with the default "
     "start (95:00:00) or an earlier --first-lba",
     EXIT_SOURCE},
    {RB("RecorderNotSupported"), "this drive cannot burn in raw (DAO-96) mode: use another drive",
     EXIT_UNSUPPORTED},

    /* ---- IMAPI2's image creator errors (rawburnctl image create reports its own) */
    {RB("RawImageIsReadOnly"), "the image is finished and can no longer be changed", EXIT_SOURCE},
    {RB("RawImageTooManyTracks"), "the image has too many tracks: a CD holds at most 99",
     EXIT_SOURCE},
    {RB("RawImageSectorTypeNotSupported"),
     "this sector type cannot be used for the image: use raw, cooked or pq", EXIT_SOURCE},
    {RB("RawImageNoTracks"), "the image has no tracks: add at least one", EXIT_SOURCE},
    {RB("RawImageTracksAlreadyAdded"), "this must be set before the first track is added",
     EXIT_SOURCE},
    {RB("RawImageInsufficientSpace"),
     "the tracks do not fit before the lead-out limit: leave out tracks or use a longer disc",
     EXIT_MEDIA},
    {RB("RawImageTooManyTrackIndexes"), "a track can have at most 99 indexes", EXIT_SOURCE},
    {RB("RawImageTrackIndexNotFound"), "the track has no index at that position", EXIT_SOURCE},
    {RB("RawImageTrackIndexOffsetZeroCannotBeCleared"), "index 1 of a track cannot be removed",
     EXIT_SOURCE},
    {RB("RawImageTrackIndexTooCloseToOtherIndex"), "indexes must be at least 10 sectors apart",
     EXIT_SOURCE},

    /* ---- IMAPI2's data and track-at-once formats: named by the daemon's table,
     * not used by raw burning; worded for the day they are */
    {RB("Df2DataWriteInProgress"), "the drive is already writing: wait until it has finished",
     EXIT_BUSY},
    {RB("Df2DataWriteNotInProgress"), "nothing is being written on this drive", EXIT_FAILED},
    {RB("Df2DataInvalidMediaState"),
     "the disc is not in a state that allows this: insert a blank or appendable disc", EXIT_MEDIA},
    {RB("Df2DataStreamNotSupported"), "the data cannot be written in this form", EXIT_SOURCE},
    {RB("Df2DataStreamTooLargeForCurrentMedia"),
     "the data does not fit on this disc: use a larger disc", EXIT_MEDIA},
    {RB("Df2DataMediaNotBlank"), "the disc is not blank: insert a blank disc", EXIT_MEDIA},
    {RB("Df2DataMediaIsNotSupported"), "this kind of disc is not supported: try another disc",
     EXIT_MEDIA},
    {RB("Df2DataRecorderNotSupported"), "this drive cannot write this format: use another drive",
     EXIT_UNSUPPORTED},
    {RB("Df2DataClientNameIsNotValid"),
     "the client name is not valid: use 1 to 64 printable ASCII characters", EXIT_USAGE},
    {RB("Df2TaoWriteInProgress"), "the drive is already writing: wait until it has finished",
     EXIT_BUSY},
    {RB("Df2TaoWriteNotInProgress"), "nothing is being written on this drive", EXIT_FAILED},
    {RB("Df2TaoMediaIsNotPrepared"), "the drive was not ready for writing: try again", EXIT_FAILED},
    {RB("Df2TaoMediaIsPrepared"),
     "the drive is already held for a burn: let that burn finish first", EXIT_BUSY},
    {RB("Df2TaoPropertyForBlankMediaOnly"),
     "this setting can only change before anything is written to the disc", EXIT_MEDIA},
    {RB("Df2TaoTableOfContentsEmptyDisc"), "the disc is empty: it has no table of contents yet",
     EXIT_MEDIA},
    {RB("Df2TaoMediaIsNotBlank"), "the disc is not blank: insert a blank CD-R or CD-RW",
     EXIT_MEDIA},
    {RB("Df2TaoMediaIsNotSupported"), "this disc is not supported: insert a blank CD-R or CD-RW",
     EXIT_MEDIA},
    {RB("Df2TaoTrackLimitReached"), "a CD holds at most 99 tracks", EXIT_SOURCE},
    {RB("Df2TaoNotEnoughSpace"),
     "the track does not fit in the space left on the disc: use a longer disc", EXIT_MEDIA},
    {RB("Df2TaoNoRecorderSpecified"),
     "no drive was chosen: name one with --drive (see rawburnctl list)", EXIT_NO_DRIVE},
    {RB("Df2TaoInvalidIsrc"),
     "an ISRC is not valid: it has 12 characters, CCOOOYYSSSSS (country, owner, year, serial)",
     EXIT_SOURCE},
    {RB("Df2TaoInvalidMcn"), "the catalog number is not valid: it has 13 digits", EXIT_SOURCE},
    {RB("Df2TaoStreamNotSupported"), "the audio is not 44.1 kHz 16-bit stereo PCM in whole sectors",
     EXIT_SOURCE},
    {RB("Df2TaoRecorderNotSupported"),
     "this drive cannot write audio track-at-once: use another drive", EXIT_UNSUPPORTED},
    {RB("Df2TaoClientNameIsNotValid"),
     "the client name is not valid: use 1 to 64 printable ASCII characters", EXIT_USAGE},

    /* ---- IMAPI2's erase format (CD-RW blanking) */
    {RB("EraseRecorderInUse"), "the drive is busy erasing a disc: wait until it has finished",
     EXIT_BUSY},
    {RB("EraseOnlyOneRecorderSupported"), "an erase works on one drive at a time", EXIT_USAGE},
    {RB("EraseDiscInformationTooSmall"),
     "the drive did not describe the disc well enough to erase it: try another disc or drive",
     EXIT_FAILED},
    {RB("EraseModePage2aTooSmall"),
     "the drive did not describe its abilities well enough to erase: try another drive",
     EXIT_UNSUPPORTED},
    {RB("EraseMediaIsNotErasable"),
     "this is not a CD-RW: only a CD-RW can be erased (a CD-R is written once, a pressed CD or "
     "a DVD-R not at all): insert a CD-RW",
     EXIT_MEDIA},
    {RB("EraseDriveFailedEraseCommand"),
     "the drive could not erase the disc: try again, or try another disc", EXIT_FAILED},
    {RB("EraseTookLongerThanOneHour"),
     "the erase did not finish within an hour: eject the disc, or power the drive off and on",
     EXIT_FAILED},
    {RB("EraseUnexpectedDriveResponseDuringErase"),
     "the drive failed during the erase; the disc may be unusable or still being erased: wait, "
     "then check it with rawburnctl info",
     EXIT_FAILED},
    {RB("EraseDriveFailedSpinupCommand"),
     "the drive could not spin up the disc: eject and reinsert it", EXIT_FAILED},
    {RB("EraseMediaIsNotSupported"),
     "this is not a CD-RW: only a CD-RW can be erased (a CD-R is written once, a pressed CD or "
     "a DVD not at all): insert a CD-RW",
     EXIT_MEDIA},
    {RB("EraseRecorderNotSupported"),
     "this drive cannot erase CD-RW discs (it does not write them): use a drive that does",
     EXIT_UNSUPPORTED},
    {RB("EraseClientNameIsNotValid"),
     "the client name is not valid: use 1 to 64 printable ASCII characters", EXIT_USAGE},

    /* ---- generic COM / Win32 errors */
    {RB("Fail"),
     "rawburnd failed without naming a reason: run again with --verbose and look at journalctl "
     "-u rawburnd",
     EXIT_FAILED},
    {RB("InvalidArg"),
     "rawburnd refused an argument rawburnctl sent: run again with --verbose and report it",
     EXIT_FAILED},
    {RB("Pointer"),
     "rawburnd cannot read the image from this kind of file: burn from a regular file or a pipe",
     EXIT_SOURCE},
    {RB("OutOfMemory"), "rawburnd ran out of memory: close other programs and try again",
     EXIT_FAILED},
    {RB("AccessDenied"),
     "the drive is in use by another program or a mounted file system: unmount the disc or "
     "close the program using the drive",
     EXIT_BUSY},
    {RB("InvalidHandle"),
     "rawburnd could not read the image through the handle it was given: burn from a regular "
     "file or a pipe",
     EXIT_SOURCE},
    {RB("DeviceNotExist"),
     "the drive is gone (unplugged or switched off): plug it in again and try again",
     EXIT_NO_DRIVE},

    /* ---- the bus itself */
    {FD("AccessDenied"),
     "you are not allowed to do this: run rawburnctl in your desktop session or as root, or ask "
     "the administrator to allow it (polkit)",
     EXIT_PERMISSION},
    {FD("InteractiveAuthorizationRequired"),
     "this needs authentication: run rawburnctl where polkit can ask for a password (a desktop "
     "session, or pkttyagent), or as root",
     EXIT_PERMISSION},
    {FD("ServiceUnknown"),
     "rawburnd is not running and could not be started: install rawburn and start it with "
     "systemctl start rawburnd",
     EXIT_NO_DAEMON},
    {FD("NameHasNoOwner"), "rawburnd is not running: start it with systemctl start rawburnd",
     EXIT_NO_DAEMON},
    {FD("NoReply"),
     "rawburnd did not answer: it may have stopped (see journalctl -u rawburnd); try again",
     EXIT_NO_DAEMON},
    {FD("Timeout"), "rawburnd did not answer in time: try again (see journalctl -u rawburnd)",
     EXIT_NO_DAEMON},
    {FD("Disconnected"), "the connection to the system bus was lost: try again", EXIT_NO_DAEMON},
    {FD("NoServer"), "there is no system bus to connect to: is dbus running?", EXIT_NO_DAEMON},
    {FD("UnknownObject"), "the drive is gone: see rawburnctl list for the drives there are",
     EXIT_NO_DRIVE},
    {FD("UnknownMethod"),
     "this rawburnd cannot do that yet: update rawburn (rawburnd and rawburnctl together)",
     EXIT_UNSUPPORTED},
    {FD("UnknownInterface"),
     "this rawburnd cannot do that yet: update rawburn (rawburnd and rawburnctl together)",
     EXIT_UNSUPPORTED},
    {FD("UnknownProperty"),
     "this rawburnd cannot do that yet: update rawburn (rawburnd and rawburnctl together)",
     EXIT_UNSUPPORTED},
    {FD("InvalidArgs"),
     "rawburnd refused what rawburnctl sent: update rawburn (rawburnd and rawburnctl together)",
     EXIT_FAILED},
    {FD("LimitsExceeded"),
     "the system bus refused the request (a limit was reached): try again later", EXIT_FAILED},
};

/* Where the general sentence would send the user the wrong way: the same
 * error met by another operation. */
static const struct {
        const char *operation;
        error_hint hint;
} operation_hints[] = {
    {"EraseMedia",
     {RB("RecorderMediaNoMedia"),
      "there is no disc in the drive: insert the CD-RW to erase and try again", EXIT_MEDIA}},
    {"EraseMedia",
     {RB("MediaIsNotSupported"),
      "this is not a CD-RW: only a CD-RW can be erased (a CD-R is written once): insert a CD-RW",
      EXIT_MEDIA}},
    {"EraseMedia",
     {RB("RecorderMediaWriteProtected"),
      "the disc is write-protected and cannot be erased: insert a CD-RW that can be written",
      EXIT_MEDIA}},
    {"EraseMedia",
     {RB("RecorderMediaIncompatible"),
      "the drive cannot use this disc (unknown or incompatible format): insert a CD-RW",
      EXIT_MEDIA}},
};

const error_hint *error_hint_lookup_for(const char *name, const char *operation)
{
        if (name && operation)
                for (size_t i = 0; i < sizeof operation_hints / sizeof operation_hints[0]; i++)
                        if (strcmp(operation_hints[i].operation, operation) == 0 &&
                            strcmp(operation_hints[i].hint.name, name) == 0)
                                return &operation_hints[i].hint;
        return error_hint_lookup(name);
}

const error_hint *error_hint_lookup(const char *name)
{
        if (!name)
                return NULL;
        for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
                if (strcmp(hints[i].name, name) == 0)
                        return &hints[i];
        return NULL;
}

size_t error_hint_count(void)
{
        return sizeof hints / sizeof hints[0];
}

const error_hint *error_hint_at(size_t i)
{
        return i < error_hint_count() ? &hints[i] : NULL;
}
