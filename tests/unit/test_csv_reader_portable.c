// SPDX-License-Identifier: GPL-2.0
/*
 * The trace reader's tests (test_csv_reader_fast.c) again, on a copy of the
 * reader built with CSV_SCALAR_ONLY: the portable splitter alone, as on a
 * CPU without SSE2, and the word-at-a-time fallbacks that go with it.
 */
#define CSV_SCALAR_ONLY
#include "test_csv_reader_fast.c"
