/* SHA-256 against the FIPS 180-4 example vectors (NIST CSRC "SHA256.pdf" / "SHA2_Additional.pdf").
 */
#include "../test_util.h"

#include "quartier/sha256.h"

static void hash_str(const char *msg, size_t chunk, char hex[65])
{
    struct qtr_sha256 s;
    unsigned char d[32];
    size_t n = strlen(msg);
    qtr_sha256_init(&s);
    for (size_t i = 0; i < n; i += chunk)
        qtr_sha256_update(&s, msg + i, n - i < chunk ? n - i : chunk);
    qtr_sha256_final(&s, d);
    qtr_sha256_hex(d, hex);
}

static void test_vectors(void **state)
{
    (void)state;
    char hex[65];
    hash_str("", 1, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    hash_str("abc", 1, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /* 448-bit message: the padding needs a second block. */
    const char *m2 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    for (size_t chunk = 1; chunk <= 64; chunk += 7) {
        hash_str(m2, chunk, hex);
        assert_string_equal(hex,
                            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }
}

static void test_million_a(void **state)
{
    (void)state;
    char buf[1000], hex[65];
    unsigned char d[32];
    memset(buf, 'a', sizeof buf);
    struct qtr_sha256 s;
    qtr_sha256_init(&s);
    for (int i = 0; i < 1000; i++)
        qtr_sha256_update(&s, buf, sizeof buf);
    qtr_sha256_final(&s, d);
    assert_string_equal(qtr_sha256_hex(d, hex),
                        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_million_a),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
