/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The org.rawburn1.Error table against imapi2error.h's values (reference
 * page §8), sense decoding (SPC fixed and descriptor formats) and the
 * sense → error mapping of mmc-raw.md §7.2. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "bus-errors.h"
#include "mmc.h"
#include "sense.h"

static void test_table_values(void **state)
{
        static const struct {
                const char *name;
                uint32_t hresult;
        } known[] = {
            {"RequestCancelled", 0xC0AA0002},
            {"RecorderNoSuchModePage", 0xC0AA0201},
            {"RecorderMediaNoMedia", 0xC0AA0202},
            {"RecorderMediaUpsideDown", 0xC0AA0204},
            {"RecorderCommandTimeout", 0xC0AA020D},
            {"RecorderLocked", 0xC0AA0210},
            {"RecorderInvalidResponseFromDevice", 0xC0AA02FF},
            {"LossOfStreaming", 0xC0AA0300},
            {"UnexpectedResponseFromDevice", 0xC0AA0301},
            {"WriteInProgress", 0xC0AA0600},
            {"MediaIsNotBlank", 0xC0AA0606},
            {"StreamLeadinTooShort", 0xC0AA060F},
            {"RecorderNotSupported", 0xC0AA0610},
            {"RawImageIsReadOnly", 0x80AA0A00},
            {"RawImageTrackIndexTooCloseToOtherIndex", 0x80AA0A0A},
            {"Df2DataWriteInProgress", 0xC0AA0400},
            {"Df2TaoInvalidMcn", 0xC0AA050C},
            {"EraseClientNameIsNotValid", 0xC0AA090B},
            {"AccessDenied", 0x80070005},
            {"DeviceNotExist", 0x80070037},
            {"InvalidArg", 0x80070057},
            {"Fail", 0x80004005},
            {"VerifyFailed", 0xE0AA0001},
            {"TestWriteNotSupported", 0xE0AA0002},
        };

        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
                const imapi_error *e = imapi_error_lookup(known[i].name);

                assert_non_null(e);
                assert_int_equal(e->hresult, known[i].hresult);
                assert_ptr_equal(imapi_error_by_hresult(known[i].hresult), e);
        }
        assert_ptr_equal(imapi_error_lookup("org.rawburn1.Error.RecorderLocked"),
                         imapi_error_lookup("RecorderLocked"));
        assert_null(imapi_error_lookup("NoSuchError"));
        /* Success codes (S_IMAPI_*) are not errors. */
        assert_null(imapi_error_by_hresult(0x00AA0004));
        assert_string_equal(imapi_error_lookup("RecorderMediaNoMedia")->message,
                            "There is no media in the device.");
}

static void test_table_complete_and_unique(void **state)
{
        /* §8.1: 24 errors, §8.2: 13, §8.3: 10, §8.4: 37 (S_ codes excluded),
         * plus 7 COM/Win32 codes the recorder and RawCD pages list, plus
         * rawburn's VerifyFailed and TestWriteNotSupported. */
        assert_int_equal(imapi_error_count(), 24 + 13 + 10 + 37 + 7 + 2);
        for (size_t i = 0; i < imapi_error_count(); i++) {
                const imapi_error *a = imapi_error_at(i);

                /* A valid D-Bus name element: [A-Za-z][A-Za-z0-9]* */
                assert_true((a->name[0] >= 'A' && a->name[0] <= 'Z'));
                for (const char *p = a->name; *p; p++)
                        assert_true((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                                    (*p >= '0' && *p <= '9'));
                /* Failure codes only: severity bit set. */
                assert_true(a->hresult & 0x80000000u);
                assert_true(strlen(a->message) > 10);
                for (size_t j = i + 1; j < imapi_error_count(); j++) {
                        assert_string_not_equal(a->name, imapi_error_at(j)->name);
                        assert_int_not_equal(a->hresult, imapi_error_at(j)->hresult);
                }
        }
        assert_null(imapi_error_at(imapi_error_count()));
}

static void test_error_reply(void **state)
{
        sd_bus_error e = SD_BUS_ERROR_NULL;
        scsi_sense s = {0x02, 0x3a, 0x01};

        assert_int_equal(bus_error_set(&e, "RecorderLocked", "held by \"x\""), -EIO);
        assert_string_equal(e.name, "org.rawburn1.Error.RecorderLocked");
        assert_non_null(strstr(e.message, "HRESULT 0xC0AA0210"));
        assert_non_null(strstr(e.message, "held by \"x\""));
        sd_bus_error_free(&e);

        bus_error_set_sense(&e, MMC_OP_TEST_UNIT_READY, &s);
        assert_string_equal(e.name, "org.rawburn1.Error.RecorderMediaNoMedia");
        assert_non_null(strstr(e.message, "There is no media in the device."));
        assert_non_null(strstr(e.message, "0xC0AA0202"));
        assert_non_null(strstr(e.message, "sense 02/3A/01"));
        sd_bus_error_free(&e);

        /* Unknown names fall back to E_FAIL rather than inventing one. */
        bus_error_set(&e, "Bogus", NULL);
        assert_string_equal(e.name, "org.rawburn1.Error.Fail");
        sd_bus_error_free(&e);

        assert_string_equal(imapi_error_from_errno(-ETIMEDOUT), "RecorderCommandTimeout");
        assert_string_equal(imapi_error_from_errno(-ENODEV), "DeviceNotExist");
        assert_string_equal(imapi_error_from_errno(-EBADMSG), "RecorderInvalidResponseFromDevice");
}

static void test_sense_formats(void **state)
{
        /* Fixed format, 18 bytes: key in byte 2, ASC/ASCQ in 12/13. */
        const uint8_t fixed[18] = {0x70, 0, 0x02, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x3a, 0x02};
        /* Descriptor format: key/ASC/ASCQ in bytes 1–3. */
        const uint8_t desc[8] = {0x72, 0x03, 0x0c, 0x09, 0, 0, 0, 0};
        scsi_sense s;

        assert_int_equal(sense_parse(fixed, sizeof fixed, &s), 0);
        assert_int_equal(s.key, 0x02);
        assert_int_equal(s.asc, 0x3a);
        assert_int_equal(s.ascq, 0x02);
        assert_int_equal(sense_parse(desc, sizeof desc, &s), 0);
        assert_int_equal(s.key, 0x03);
        assert_int_equal(s.asc, 0x0c);
        assert_int_equal(s.ascq, 0x09);

        assert_int_equal(sense_parse(fixed, 13, &s), -EBADMSG);
        assert_int_equal(sense_parse((uint8_t[]){0x00, 0, 0}, 3, &s), -EBADMSG);
        const uint8_t short_add[18] = {0x70, 0, 0x02, 0, 0, 0, 0, 5};
        assert_int_equal(sense_parse(short_add, sizeof short_add, &s), -EBADMSG);
}

static const char *map(uint8_t op, uint8_t key, uint8_t asc, uint8_t ascq)
{
        scsi_sense s = {key, asc, ascq};

        return sense_to_error(op, &s);
}

static void test_sense_mapping(void **state)
{
        /* mmc-raw.md §7.2, row by row */
        assert_string_equal(map(0, 2, 0x3a, 0x00), "RecorderMediaNoMedia");
        assert_string_equal(map(0, 2, 0x3a, 0x01), "RecorderMediaNoMedia");
        assert_string_equal(map(0, 2, 0x3a, 0x02), "RecorderMediaNoMedia");
        assert_string_equal(map(0, 2, 0x04, 0x01), "RecorderMediaBecomingReady");
        assert_string_equal(map(0, 2, 0x04, 0x00), "RecorderMediaBecomingReady");
        assert_string_equal(map(0, 2, 0x04, 0x04), "RecorderMediaFormatInProgress");
        assert_string_equal(map(0, 2, 0x04, 0x07), "RecorderMediaBusy");
        assert_string_equal(map(0, 2, 0x04, 0x08), "RecorderMediaBusy");
        assert_string_equal(map(MMC_OP_WRITE_10, 7, 0x27, 0x00), "RecorderMediaWriteProtected");
        assert_string_equal(map(MMC_OP_WRITE_10, 7, 0x27, 0x05), "RecorderMediaWriteProtected");
        assert_string_equal(map(0, 2, 0x30, 0x00), "RecorderMediaIncompatible");
        assert_string_equal(map(0, 2, 0x30, 0x02), "RecorderMediaIncompatible");
        assert_string_equal(map(0, 5, 0x30, 0x05), "RecorderMediaIncompatible");
        assert_string_equal(map(MMC_OP_WRITE_10, 2, 0x30, 0x11), "RecorderMediaSpeedMismatch");
        assert_string_equal(map(MMC_OP_WRITE_10, 3, 0x0c, 0x09), "LossOfStreaming");
        assert_string_equal(map(MMC_OP_MODE_SENSE_10, 5, 0x24, 0x00), "RecorderNoSuchModePage");
        assert_string_equal(map(MMC_OP_MODE_SENSE_10, 5, 0x39, 0x00), "RecorderNoSuchModePage");
        assert_string_equal(map(MMC_OP_INQUIRY, 5, 0x24, 0x00), "UnexpectedResponseFromDevice");
        assert_string_equal(map(MMC_OP_MODE_SELECT_10, 5, 0x26, 0x00),
                            "RecorderInvalidModeParameters");
        assert_string_equal(map(MMC_OP_MODE_SELECT_10, 5, 0x1a, 0x00),
                            "RecorderInvalidModeParameters");
        assert_string_equal(map(MMC_OP_GET_CONFIGURATION, 5, 0x20, 0x00),
                            "RecorderGetConfigurationNotSupported");
        assert_string_equal(map(MMC_OP_WRITE_10, 5, 0x2c, 0x00), "UnexpectedResponseFromDevice");
        assert_string_equal(map(MMC_OP_WRITE_10, 3, 0x0c, 0x00), "UnexpectedResponseFromDevice");
        assert_string_equal(map(MMC_OP_WRITE_10, 3, 0x73, 0x03), "UnexpectedResponseFromDevice");
        assert_string_equal(map(0, 2, 0x57, 0x00), "RecorderMediaUpsideDown");
        assert_true(sense_is_unit_attention(&(scsi_sense){0x06, 0x28, 0x00}));
        assert_false(sense_is_unit_attention(&(scsi_sense){0x02, 0x3a, 0x00}));
}

static void test_every_sense_maps_to_a_defined_error(void **state)
{
        static const uint8_t ops[] = {0, MMC_OP_MODE_SENSE_10, MMC_OP_MODE_SELECT_10,
                                      MMC_OP_GET_CONFIGURATION, MMC_OP_WRITE_10};

        for (size_t o = 0; o < sizeof ops; o++)
                for (unsigned key = 0; key < 16; key++)
                        for (unsigned asc = 0; asc < 256; asc++)
                                for (unsigned ascq = 0; ascq < 256; ascq += 17)
                                        assert_non_null(imapi_error_lookup(map(
                                            ops[o], (uint8_t)key, (uint8_t)asc, (uint8_t)ascq)));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_table_values),
            cmocka_unit_test(test_table_complete_and_unique),
            cmocka_unit_test(test_error_reply),
            cmocka_unit_test(test_sense_formats),
            cmocka_unit_test(test_sense_mapping),
            cmocka_unit_test(test_every_sense_maps_to_a_defined_error),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
