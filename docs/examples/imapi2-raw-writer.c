/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * IMAPI2's raw-CD burn sample, ported to rawburn: the call order of
 * Microsoft's imapi2sample "RawWriter" (docs/porting-from-imapi2.md), one
 * IMAPI2 call at a time, each marked with the call it replaces. The image is
 * made in this process with librawburn's raw image creator (IMAPI2's
 * IRawCDImageCreator); the drive is driven over D-Bus with plain GDBus calls,
 * no generated code.
 *
 *   imapi2-raw-writer [-d DRIVE] AUDIO...     e.g. imapi2-raw-writer -d sr0 a.wav b.flac
 *
 * Each AUDIO file (WAV, FLAC, ...: CD audio, 44.1 kHz 16-bit stereo) is one
 * track. DRIVE is a kernel name (sr0); without it the first drive rawburnd
 * lists is used. Exits 0 when the disc is written, 1 when anything failed,
 * 2 for a wrong command line. tests/client/test-port-sample.py burns a disc
 * with it on drivesim.
 */
#include <errno.h>
#include <gio/gio.h>
#include <gio/gunixfdlist.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rawburn/audio-source.h>
#include <rawburn/raw-image-creator.h>

#define BUS_NAME      "org.rawburn1"
#define MANAGER_PATH  "/org/rawburn1"
#define MANAGER_IFACE "org.rawburn1.Manager"
#define RAWCD_IFACE   "org.rawburn1.DiscFormat2RawCD"

/* IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE and IMAPI_FORMAT2_RAW_CD_WRITE_ACTION. */
enum { SUBCODE_IS_RAW = 3 };
enum { ACTION_PREPARING = 1, ACTION_WRITING = 2, ACTION_FINISHING = 3 };

/* A failed call: the D-Bus error name (org.rawburn1.Error.MediaIsNotBlank,
 * ...) stands for IMAPI2's HRESULT; the message has IMAPI2's text, the
 * HRESULT in hex and, for a drive's refusal, the SCSI sense. */
static void print_error(const char *call, GError *error)
{
        g_autofree char *name = g_dbus_error_get_remote_error(error);
        if (name)
                g_dbus_error_strip_remote_error(error);
        fprintf(stderr, "%s failed: %s: %s\n", call, name ? name : "(local)", error->message);
}

/* One synchronous call to the drive's DiscFormat2RawCD object. Every call
 * of a burn goes over the same connection: to rawburnd the connection is
 * IMAPI2's MsftDiscFormat2RawCD object (its ClientName, its preparation). */
static GVariant *rawcd_call(GDBusConnection *bus, const char *path, const char *method,
                            GVariant *args, const char *reply_type, int timeout_msec)
{
        g_autoptr(GError) error = NULL;
        GVariant *reply = g_dbus_connection_call_sync(
            bus, BUS_NAME, path, RAWCD_IFACE, method, args,
            reply_type ? G_VARIANT_TYPE(reply_type) : NULL,
            G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION, timeout_msec, NULL, &error);
        if (!reply)
                print_error(method, error);
        return reply;
}

/* IMAPI2's get_X: org.freedesktop.DBus.Properties.Get. */
static GVariant *rawcd_get(GDBusConnection *bus, const char *path, const char *name)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(GVariant) reply = g_dbus_connection_call_sync(
            bus, BUS_NAME, path, "org.freedesktop.DBus.Properties", "Get",
            g_variant_new("(ss)", RAWCD_IFACE, name), G_VARIANT_TYPE("(v)"), G_DBUS_CALL_FLAGS_NONE,
            -1, NULL, &error);
        if (!reply) {
                g_autofree char *what = g_strconcat("get_", name, NULL);
                print_error(what, error);
                return NULL;
        }
        GVariant *value;
        g_variant_get(reply, "(v)", &value);
        return value;
}

/* IMAPI2's put_X: org.freedesktop.DBus.Properties.Set. */
static gboolean rawcd_put(GDBusConnection *bus, const char *path, const char *name, GVariant *value)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(GVariant) reply =
            g_dbus_connection_call_sync(bus, BUS_NAME, path, "org.freedesktop.DBus.Properties",
                                        "Set", g_variant_new("(ssv)", RAWCD_IFACE, name, value),
                                        NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
        if (!reply) {
                g_autofree char *what = g_strconcat("put_", name, NULL);
                print_error(what, error);
        }
        return reply != NULL;
}

/* GetDiscRecorder(index) of the sample: IDiscMaster2's list, then the drive
 * chosen. The object path is the recorder: there is no InitializeDiscRecorder. */
static char *get_disc_recorder(GDBusConnection *bus, const char *drive)
{
        g_autoptr(GError) error = NULL;
        /* IMAPI2: MsftDiscMaster2 get__NewEnum / get_Item(index) */
        g_autoptr(GVariant) reply = g_dbus_connection_call_sync(
            bus, BUS_NAME, MANAGER_PATH, MANAGER_IFACE, "EnumerateRecorders", NULL,
            G_VARIANT_TYPE("(ao)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
        if (!reply) {
                print_error("EnumerateRecorders", error);
                return NULL;
        }
        g_autoptr(GVariantIter) iter = NULL;
        g_variant_get(reply, "(ao)", &iter);
        const char *path;
        while (g_variant_iter_next(iter, "&o", &path)) {
                const char *name = strrchr(path, '/') + 1;
                if (!drive || strcmp(name, drive) == 0)
                        return g_strdup(path);
        }
        fprintf(stderr, "no drive %s\n", drive ? drive : "at all");
        return NULL;
}

/* One audio file as a track's stream: its PCM in a memfd, so that the
 * creator reads CD audio whatever the container (the sample's
 * SHCreateStreamOnFileW hands over the file as it is). -1 on failure. */
static int pcm_stream_of(const char *file)
{
        rb_audio_reader_t *reader;
        uint64_t bytes;
        char err[256];
        if (rb_audio_open(file, &reader, &bytes, NULL, 0, err, sizeof(err)) < 0) {
                fprintf(stderr, "%s: %s\n", file, err);
                return -1;
        }
        int fd = memfd_create("track", MFD_CLOEXEC);
        static uint8_t buf[2352 * 64];
        uint64_t at = 0;
        while (fd >= 0 && at < bytes) {
                long n = rb_audio_read(reader, at, buf, sizeof(buf));
                if (n <= 0 || write(fd, buf, (size_t)n) != n) {
                        fprintf(stderr, "%s: %s\n", file, n < 0 ? strerror((int)-n) : "short");
                        close(fd);
                        fd = -1;
                }
                at += n > 0 ? (uint64_t)n : 0;
        }
        rb_audio_close(reader);
        return fd;
}

typedef struct burn {
        GMainLoop *loop;
        gboolean ok;
        int last_action, last_percent;
} burn;

/* DDiscFormat2RawCDEvents::Update, the sample's event sink: the twelve
 * arguments are IDiscFormat2RawCDEventArgs' properties, in its order. */
static void on_update(GDBusConnection *bus, const char *sender, const char *path, const char *iface,
                      const char *signal, GVariant *args, gpointer userdata)
{
        burn *b = userdata;
        gint32 action, elapsed, remaining, start, count, last_read, last_written, total_buf,
            used_buf, free_buf, total_dev, used_dev;
        g_variant_get(args, "(iiiiiiiiiiii)", &action, &elapsed, &remaining, &start, &count,
                      &last_read, &last_written, &total_buf, &used_buf, &free_buf, &total_dev,
                      &used_dev);
        int percent = count > 0 ? (int)(100.0 * (last_written - start + 1) / count) : 0;
        percent = CLAMP(percent, 0, 100);
        /* Four signals a second: one line per phase or percent is enough. */
        if (action == b->last_action && (action != ACTION_WRITING || percent == b->last_percent))
                return;
        b->last_action = action;
        b->last_percent = percent;
        switch (action) {
        case ACTION_PREPARING:
                printf("Preparing hardware and media...\n");
                break;
        case ACTION_WRITING:
                /* IMAPI2 has the total as ElapsedTime + RemainingTime. */
                printf("Writing [%d..%d] %d%%, %d of %d s\n", start, start + count, percent,
                       elapsed, elapsed + remaining);
                break;
        case ACTION_FINISHING:
                printf("Finishing writing operation...\n");
                break;
        default:
                printf("Action %d\n", action);
        }
        fflush(stdout);
}

/* WriteFinished (no IMAPI2 counterpart): the outcome and its HRESULT, also
 * for a caller whose WriteMedia call timed out. */
static void on_write_finished(GDBusConnection *bus, const char *sender, const char *path,
                              const char *iface, const char *signal, GVariant *args,
                              gpointer userdata)
{
        const char *name, *message;
        g_autoptr(GVariant) details = NULL;
        guint32 hresult = 0;
        gint64 sectors = 0;
        g_variant_get(args, "(&s&s@a{sv})", &name, &message, &details);
        g_variant_lookup(details, "HResult", "u", &hresult);
        g_variant_lookup(details, "SectorsWritten", "x", &sectors);
        printf("Write finished: %s (HRESULT 0x%08X), %" G_GINT64_FORMAT " sectors\n",
               name[0] ? name : "success", hresult, sectors);
}

static void on_written(GObject *source, GAsyncResult *result, gpointer userdata)
{
        burn *b = userdata;
        g_autoptr(GError) error = NULL;
        g_autoptr(GVariant) reply = g_dbus_connection_call_with_unix_fd_list_finish(
            G_DBUS_CONNECTION(source), NULL, result, &error);
        b->ok = reply != NULL;
        if (!reply)
                print_error("WriteMedia", error);
        g_main_loop_quit(b->loop);
}

static gboolean get_bool(GDBusConnection *bus, const char *path, const char *name)
{
        g_autoptr(GVariant) v = rawcd_get(bus, path, name);
        return v && g_variant_get_boolean(v);
}

/* The sample's event sink and WriteMedia. */
static gboolean write_media(GDBusConnection *bus, const char *path, int image, burn *b)
{
        /* IMAPI2: events->DispEventAdvise(iDiscFormatRaw) -- the sample's
         * event sink; here a subscription to the drive's signals. */
        guint update_id =
            g_dbus_connection_signal_subscribe(bus, BUS_NAME, RAWCD_IFACE, "Update", path, NULL,
                                               G_DBUS_SIGNAL_FLAGS_NONE, on_update, b, NULL);
        guint finished_id = g_dbus_connection_signal_subscribe(
            bus, BUS_NAME, RAWCD_IFACE, "WriteFinished", path, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
            on_write_finished, b, NULL);

        /* IMAPI2: iDiscFormatRaw->WriteMedia(resultStream) -- synchronous in
         * IMAPI2, and its reply here comes when the burn is over: the call
         * gets no timeout (G_MAXINT) and is made asynchronously, so that
         * the main loop runs and delivers Update meanwhile. The IStream is a
         * file descriptor, index 0 of the message's descriptor list. */
        GUnixFDList *fds = g_unix_fd_list_new_from_array(&image, 1); /* takes image */
        b->loop = g_main_loop_new(NULL, FALSE);
        g_dbus_connection_call_with_unix_fd_list(bus, BUS_NAME, path, RAWCD_IFACE, "WriteMedia",
                                                 g_variant_new("(h)", 0), G_VARIANT_TYPE_UNIT,
                                                 G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
                                                 G_MAXINT, fds, NULL, on_written, b);
        /* Our copy of the descriptor goes now: should rawburnd stop reading,
         * the creator's thread must see the pipe closed, not wait. */
        g_object_unref(fds);
        g_main_loop_run(b->loop);
        g_main_loop_unref(b->loop);
        /* This write's signals all came before its reply. */
        g_dbus_connection_signal_unsubscribe(bus, update_id);
        g_dbus_connection_signal_unsubscribe(bus, finished_id);
        return b->ok;
}

/* SetWriteSpeed, PrepareMedia, WriteMedia of the image (closed here), and
 * ReleaseMedia whatever happened after a successful PrepareMedia. */
static gboolean burn_image(GDBusConnection *bus, const char *path, int image)
{
        burn b = {.last_action = -1, .last_percent = -1};
        gboolean ok = FALSE;

        /* Not in the sample, which burns at the default: the fastest.
         * IMAPI2: iDiscFormatRaw->SetWriteSpeed(-1, VARIANT_FALSE) -- before
         * PrepareMedia it is kept for PrepareMedia, and answers 0. */
        g_autoptr(GVariant) speed =
            rawcd_call(bus, path, "SetWriteSpeed", g_variant_new("(ib)", -1, FALSE), "(u)", -1);
        if (!speed) {
                close(image);
                return FALSE;
        }

        /* IMAPI2: iDiscFormatRaw->PrepareMedia() -- the drive is this
         * connection's until ReleaseMedia or until it closes. It may wait for
         * polkit and for the drive to spin up: no 25-second call timeout. */
        g_autoptr(GVariant) prepared = rawcd_call(
            bus, path, "PrepareMedia", g_variant_new_parsed("(@a{sv} {},)"), "(u)", G_MAXINT);
        if (!prepared) {
                close(image);
                return FALSE;
        }
        guint32 result;
        g_variant_get(prepared, "(u)", &result);
        if (result != 0) /* S_IMAPI_SPEEDADJUSTED, ...: a success */
                printf("PrepareMedia: the drive chose its own speed (0x%08X)\n", result);

        /* IMAPI2: iDiscFormatRaw->put_RequestedSectorType(IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW) */
        if (rawcd_put(bus, path, "RequestedSectorType", g_variant_new_int32(SUBCODE_IS_RAW)))
                ok = write_media(bus, path, image, &b);
        else
                close(image);

        /* IMAPI2: iDiscFormatRaw->ReleaseMedia() -- "even if the burn failed" */
        g_autoptr(GVariant) released = rawcd_call(bus, path, "ReleaseMedia", NULL, NULL, -1);
        return ok && released;
}

int main(int argc, char **argv)
{
        const char *drive = NULL;
        int opt;
        while ((opt = getopt(argc, argv, "d:")) != -1) {
                if (opt != 'd')
                        goto usage;
                drive = optarg;
        }
        if (optind >= argc) {
        usage:
                fprintf(stderr, "usage: %s [-d DRIVE] AUDIO...\n", argv[0]);
                return 2;
        }
        /* The creator's thread writes the image into a pipe: should rawburnd
         * refuse the write and close it, that write must fail, not kill us. */
        signal(SIGPIPE, SIG_IGN);

        g_autoptr(GError) error = NULL;
        g_autoptr(GDBusConnection) bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, &error);
        if (!bus) {
                fprintf(stderr, "no system bus: %s\n", error->message);
                return 1;
        }

        /* IMAPI2: GetDiscRecorder(index) -- MsftDiscMaster2 get_Item, then
         * MsftDiscRecorder2 InitializeDiscRecorder(uniqueId) */
        g_autofree char *path = get_disc_recorder(bus, drive);
        if (!path)
                return 1;
        /* IMAPI2: iDiscFormatRaw.CoCreateInstance(CLSID_MsftDiscFormat2RawCD)
         * IMAPI2: iDiscFormatRaw->put_Recorder(recorder)
         * Both are the object path: its DiscFormat2RawCD interface is the
         * format object, already bound to its drive. */
        printf("Recorder %s\n", path);

        /* IMAPI2: iDiscFormatRaw->put_ClientName(L"Imapi2Sample") -- required
         * there; here it is optional (the default is the process name) but
         * kept, for this connection alone, until PrepareMedia applies it. */
        if (!rawcd_put(bus, path, "ClientName", g_variant_new_string("Imapi2Sample")))
                return 1;

        /* IMAPI2: iDiscFormatRaw->IsRecorderSupported(recorder, &b) */
        if (!get_bool(bus, path, "IsRecorderSupported")) {
                fprintf(stderr, "the recorder cannot write raw CDs\n");
                return 1;
        }
        /* IMAPI2: iDiscFormatRaw->IsCurrentMediaSupported(recorder, &b) */
        if (!get_bool(bus, path, "IsCurrentMediaSupported")) {
                fprintf(stderr, "the disc in the recorder is not a CD-R or CD-RW\n");
                return 1;
        }

        /* IMAPI2: raw.CoCreateInstance(CLSID_MsftRawCDImageCreator) */
        rb_raw_image_creator_t *raw;
        int r = rb_raw_image_creator_new(&raw);
        if (r < 0) {
                fprintf(stderr, "creator: %s\n", rb_raw_image_error_message(r));
                return 1;
        }
        /* IMAPI2: raw->put_ResultingImageType(IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW) */
        r = rb_raw_image_creator_set_resulting_image_type(raw, RB_SECTOR_RAW);
        /* IMAPI2: for each file: SHCreateStreamOnFileW, IStream::SetSize to
         * whole 2352-byte sectors, raw->AddTrack(IMAPI_CD_SECTOR_AUDIO, s, &idx)
         * (the creator pads a last partial sector with silence itself) */
        for (int i = optind; r >= 0 && i < argc; i++) {
                int stream = pcm_stream_of(argv[i]), index;
                if (stream < 0) {
                        rb_raw_image_creator_free(raw);
                        return 1;
                }
                r = rb_raw_image_creator_add_track(raw, RB_CD_SECTOR_AUDIO, stream, &index);
                close(stream); /* the creator keeps its own copy */
                if (r >= 0)
                        printf("Track %d: %s\n", index, argv[i]);
        }
        /* IMAPI2: raw->CreateResultImage(&resultStream) -- the stream is the
         * read end of a pipe that a thread of librawburn fills as rawburnd
         * reads it: the image never lies on disk whole. */
        int image = -1;
        if (r >= 0)
                r = rb_raw_image_creator_create_result_image(raw, &image);
        if (r < 0) {
                /* An IMAPI2 HRESULT of the E_IMAPI_RAW_IMAGE_* range. */
                fprintf(stderr, "image: %s (HRESULT 0x%08X): %s\n", rb_raw_image_error_name(r),
                        rb_raw_image_error_hresult(r), rb_raw_image_creator_last_error(raw));
                rb_raw_image_creator_free(raw);
                return 1;
        }

        gboolean ok = burn_image(bus, path, image);
        /* The image's writer thread: what it found, once rawburnd stopped reading. */
        r = rb_raw_image_creator_wait_result(raw);
        if (r < 0 && ok)
                fprintf(stderr, "image: %s\n", rb_raw_image_creator_last_error(raw));
        rb_raw_image_creator_free(raw);
        printf("%s\n", ok ? "Burn succeeded" : "Burn failed");
        return ok ? 0 : 1;
}
