/* Tests for src/model/indicators.c: SQL indicator expressions over columns. */
#include "test_util.h"

#include "quartier/indicators.h"
#include "quartier/renewal.h"

/* four districts; "SGB II" has no value in district 3, the age group is 0 in
 * district 2 */
static const char *const names[] = {"SGB II", "EW 15 bis 65", "Bevölkerung", "Zahl \"x\""};
static const double sgb[] = {100, 50, -1, 10};
static const double ew[] = {1000, 0, 500, 200};
static const double bev[] = {1, 3, 9, 27};
static const double zx[] = {2, 4, 6, NAN};
static const uint8_t sgb_miss[] = {0, 0, 1, 0};

static int eval(size_t nexpr, const char *const *exprs, double **out, uint8_t **miss,
                struct qtr_error *err)
{
    const double *vals[] = {sgb, ew, bev, zx};
    const uint8_t *m[] = {sgb_miss, NULL, NULL, NULL};
    return qtr_indicators_eval(4, 4, names, vals, m, nexpr, exprs, NULL, out, miss, err);
}

static void test_rate_with_zero_denominator(void **state)
{
    (void)state;
    const char *ex[] = {"100.0 * \"SGB II\" / \"EW 15 bis 65\"",
                        "\"Bevölkerung\" / 3   -- one third", "\"Zahl \"\"x\"\"\" + 1",
                        "bev\u00f6lkerung * 2"};
    double o0[4], o1[4], o2[4], o3[4];
    uint8_t m0[4], m1[4], m2[4], m3[4];
    double *out[] = {o0, o1, o2, o3};
    uint8_t *miss[] = {m0, m1, m2, m3};
    struct qtr_error err = {0};
    assert_int_equal(eval(4, ex, out, miss, &err), QTR_OK);
    /* 100 * 100 / 1000 = 10; 50 / 0 is undefined, not 0; no SGB II value */
    assert_close(o0[0], 10, 1e-12);
    assert_int_equal(m0[0], QTR_IND_OK);
    assert_true(isnan(o0[1]));
    assert_int_equal(m0[1], QTR_IND_UNDEFINED);
    assert_true(isnan(o0[2]));
    assert_int_equal(m0[2], QTR_IND_NO_INPUT);
    assert_close(o0[3], 5, 1e-12);
    /* all columns are REAL: 1 / 3 is not an integer division */
    assert_close(o1[0], 1.0 / 3.0, 1e-15);
    assert_close(o1[3], 9, 1e-12);
    /* quotes inside a column name; a NaN input is a missing input */
    assert_close(o2[0], 3, 0);
    assert_int_equal(m2[3], QTR_IND_NO_INPUT);
    /* SQL identifiers ignore ASCII case */
    assert_close(o3[2], 18, 0);
}

static void test_nonfinite_and_order(void **state)
{
    (void)state;
    const char *ex[] = {"\"Bevölkerung\" * 1e308 * 1e10", "NULLIF(\"Bevölkerung\", 9)"};
    double o0[4], o1[4];
    uint8_t m0[4], m1[4];
    double *out[] = {o0, o1};
    uint8_t *miss[] = {m0, m1};
    struct qtr_error err = {0};
    assert_int_equal(eval(2, ex, out, miss, &err), QTR_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(m0[i], QTR_IND_NONFINITE);
    assert_close(o1[0], 1, 0);
    assert_close(o1[1], 3, 0);
    assert_int_equal(m1[2], QTR_IND_UNDEFINED);
    assert_close(o1[3], 27, 0);
}

/* The message of evaluating `ex` over the four test districts, labelled "[indicator x] expr". */
static const char *eval_error(const char *ex, int want_rc, struct qtr_error *err)
{
    double o[4];
    uint8_t m[4];
    double *out[] = {o};
    uint8_t *miss[] = {m};
    const double *vals[] = {sgb, ew, bev, zx};
    const char *exprs[] = {ex};
    const char *labels[] = {"[indicator x] expr"};
    memset(err, 0, sizeof *err);
    assert_int_equal(qtr_indicators_eval(4, 4, names, vals, NULL, 1, exprs, labels, out, miss, err),
                     want_rc);
    return err->msg;
}

#define COLS " Columns (4): \"SGB II\", \"EW 15 bis 65\", \"Bevölkerung\", \"Zahl \"\"x\"\"\""

static void test_errors_name_expression_and_columns(void **state)
{
    (void)state;
    struct qtr_error err;
    /* without labels, the position of the expression names it */
    double o[4];
    uint8_t m[4];
    double *out[] = {o};
    uint8_t *miss[] = {m};
    const char *syntax[] = {"100 * / \"SGB II\""};
    assert_int_equal(eval(1, syntax, out, miss, &err), QTR_ERR_USAGE);
    assert_string_equal(err.msg, "expression 1: is not valid SQL: near \"/\": syntax error. Column "
                                 "names go in double quotes (\"EW 15 bis 65\"), text in single "
                                 "quotes ('mittel'). Expression: 100 * / \"SGB II\"" COLS);

    assert_string_equal(eval_error("sgb_quote + 1", QTR_ERR_USAGE, &err),
                        "[indicator x] expr: no such column \"sgb_quote\". Expression: "
                        "sgb_quote + 1" COLS);
    assert_string_equal(eval_error("? + 1", QTR_ERR_USAGE, &err),
                        "[indicator x] expr: has a parameter (?, :name, @name or $name); write "
                        "the value or the column name instead. Expression: ? + 1");
    assert_string_equal(eval_error("'viel'", QTR_ERR_USAGE, &err),
                        "[indicator x] expr: gives text ('viel'), not a number, in district 1; "
                        "text in single quotes is text, column names go in double quotes. "
                        "Expression: 'viel'" COLS);
    assert_string_equal(eval_error("  ", QTR_ERR_USAGE, &err),
                        "[indicator x] expr: the expression is empty.");
    /* an aggregate outside a subquery gives one row for all districts */
    assert_string_equal(eval_error("avg(\"SGB II\")", QTR_ERR_USAGE, &err),
                        "[indicator x] expr: gives 1 row for 4 districts. An aggregate (avg, "
                        "sum, count, ...) outside a subquery makes one row of all districts; "
                        "write the city value as a subquery, (SELECT avg(\"x\") FROM t), or as a "
                        "window, avg(\"x\") OVER (). Expression: avg(\"SGB II\")");
    /* max() alone picks one district's row: still explained as an aggregate */
    assert_string_equal(eval_error("max(\"Bevölkerung\")", QTR_ERR_USAGE, &err),
                        "[indicator x] expr: gives 1 row for 4 districts. An aggregate (avg, "
                        "sum, count, ...) outside a subquery makes one row of all districts; "
                        "write the city value as a subquery, (SELECT avg(\"x\") FROM t), or as a "
                        "window, avg(\"x\") OVER (). Expression: max(\"Bevölkerung\")");
    assert_string_equal(eval_error("(SELECT count(*) FROM sqlite_schema)", QTR_ERR_USAGE, &err),
                        "[indicator x] expr: reads the table 'sqlite_schema'; an expression may "
                        "only read the districts' columns (table t). Expression: (SELECT "
                        "count(*) FROM sqlite_schema)");
    assert_string_equal(
        eval_error("(SELECT count(*) FROM pragma_table_info('t'))", QTR_ERR_USAGE, &err),
        "[indicator x] expr: may only compute from the districts' columns (table t), not read "
        "SQLite's own tables, pragmas or files, nor change anything (SQLite: not authorized). "
        "Expression: (SELECT count(*) FROM pragma_table_info('t'))");
}

/* Double quotes always name a column: a name that is none is an error with the closest
 * names, never the text (SQLite's double-quoted-string compatibility is off). */
static void test_double_quoted_name_is_never_text(void **state)
{
    (void)state;
    static const char *const nm[] = {"Übergänge aufs Gymnasium", "Schüler 4. Klasse",
                                     "Arbeitslose"};
    static const double a[] = {30, 20}, b[] = {60, 80}, c[] = {5, 7};
    const double *v[] = {a, b, c};
    /* the case: one trailing blank, in expr and in previous */
    const char *ex[] = {"100.0 * \"Übergänge aufs Gymnasium \" / \"Schüler 4. Klasse\"",
                        "100.0 * \"Übergänge aufs Gymnasium\" / \"Schüler 4. Klasse\""};
    const char *labels[] = {"a.ini [indicator gym] previous", "a.ini [indicator gym] expr"};
    double o0[2], o1[2];
    uint8_t m0[2], m1[2];
    double *out[] = {o0, o1};
    uint8_t *miss[] = {m0, m1};
    struct qtr_error err = {0};
    assert_int_equal(qtr_indicators_eval(2, 3, nm, v, NULL, 2, ex, labels, out, miss, &err),
                     QTR_ERR_USAGE);
    assert_string_equal(err.msg,
                        "a.ini [indicator gym] previous: no such column \"Übergänge aufs "
                        "Gymnasium \" \xe2\x80\x94 did you mean \"Übergänge aufs Gymnasium\"? "
                        "Expression: 100.0 * \"Übergänge aufs Gymnasium \" / \"Schüler 4. "
                        "Klasse\" Columns (3): \"Übergänge aufs Gymnasium\", \"Schüler 4. "
                        "Klasse\", \"Arbeitslose\"");
    /* spelt right, the same text gives 100 * 30 / 60 = 50, not 0 */
    assert_int_equal(qtr_indicators_eval(2, 3, nm, v, NULL, 1, ex + 1, labels + 1, out, miss, &err),
                     QTR_OK);
    assert_close(o0[0], 50, 1e-12);
    assert_close(o0[1], 25, 1e-12);

    /* 'x' is text, "x" never is: comparing with a double-quoted word is an error */
    const char *cmp[] = {"\"Arbeitslose\" = \"hoch\""};
    assert_int_equal(qtr_indicators_eval(2, 3, nm, v, NULL, 1, cmp, NULL, out, miss, &err),
                     QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "expression 1: no such column \"hoch\". Expression:"));
}

/* The expression cannot leave the parentheses around it: the case moved other
 * districts' values onto each row. */
static void test_expression_cannot_escape_wrapper(void **state)
{
    (void)state;
    struct qtr_error err;
    assert_string_equal(
        eval_error("v) FROM (SELECT \"SGB II\" AS v FROM t ORDER BY \"SGB II\" DESC) /*",
                   QTR_ERR_USAGE, &err),
        "[indicator x] expr: ')' at character 2 closes a parenthesis the expression did not "
        "open. Expression: v) FROM (SELECT \"SGB II\" AS v FROM t ORDER BY \"SGB II\" DESC) /*");
    assert_string_equal(eval_error("1 /* Kommentar", QTR_ERR_USAGE, &err),
                        "[indicator x] expr: the comment opened with /* at character 3 is not "
                        "closed with */. Expression: 1 /* Kommentar");
    assert_string_equal(eval_error("'abc", QTR_ERR_USAGE, &err),
                        "[indicator x] expr: the text in single quotes opened at character 1 is "
                        "not closed with '. Expression: 'abc");
    assert_string_equal(eval_error("\"Bevölkerung", QTR_ERR_USAGE, &err),
                        "[indicator x] expr: the quoted name opened at character 1 is not closed "
                        "with \". Expression: \"Bevölkerung");
    assert_string_equal(eval_error("(\"Bevölkerung\" + 2", QTR_ERR_USAGE, &err),
                        "[indicator x] expr: the '(' at character 1 is not closed with ')'. "
                        "Expression: (\"Bevölkerung\" + 2");
    /* character positions count characters, not bytes (ö is two bytes) */
    assert_string_equal(eval_error("\"Bevölkerung\"; DROP TABLE t", QTR_ERR_USAGE, &err),
                        "[indicator x] expr: ';' at character 14 would end the expression; write "
                        "one expression, without ';'. Expression: \"Bevölkerung\"; DROP TABLE t");
    assert_string_equal(eval_error("1), (2", QTR_ERR_USAGE, &err),
                        "[indicator x] expr: ')' at character 2 closes a parenthesis the "
                        "expression did not open. Expression: 1), (2");

    /* parentheses in strings, quoted names and comments do not count; a trailing line
     * comment does not swallow the wrapper's end */
    const char *ok[] = {"length(')') + \"Zahl \"\"x\"\"\" -- )", "\"Bevölkerung\" /* ) */ * 2"};
    double o0[4], o1[4];
    uint8_t m0[4], m1[4];
    double *out[] = {o0, o1};
    uint8_t *miss[] = {m0, m1};
    assert_int_equal(eval(2, ok, out, miss, &err), QTR_OK);
    assert_close(o0[0], 3, 0);
    assert_close(o0[1], 5, 0);
    assert_close(o1[2], 18, 0);
}

/* An expression that never ends stops after the step budget, with the label. */
static void test_step_budget_stops_endless_expression(void **state)
{
    (void)state;
    struct qtr_error err;
    const char *endless =
        "(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c)";
    char want[1024];
    snprintf(want, sizeof want,
             "[indicator x] expr: stopped after 20 million SQLite steps, the limit for 4 districts "
             "(20 million + 1000 per district): the expression takes too long or never ends, "
             "e.g. a recursive WITH that does not stop or a join of t with itself; simplify it. "
             "Expression: %s",
             endless);
    assert_string_equal(eval_error(endless, QTR_ERR_USAGE, &err), want);
    /* a WITH that ends is allowed, also counted with count(*) */
    const char *ok[] = {"(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x "
                        "< 10) SELECT count(*) FROM c) + \"Bevölkerung\""};
    double o[4];
    uint8_t m[4];
    double *out[] = {o};
    uint8_t *miss[] = {m};
    assert_int_equal(eval(1, ok, out, miss, &err), QTR_OK);
    assert_close(o[3], 37, 0);
}

/* Functions whose result changes from run to run are refused, by name. */
static void test_nondeterministic_functions_refused(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"random()", "random"},
        {"randomblob(4)", "randomblob"},
        {"\"Bevölkerung\" * julianday('now')", "julianday"},
        {"date('now') > '2020'", "date"},
        {"CURRENT_TIMESTAMP", "current_timestamp"},
        {"changes()", "changes"},
        {"last_insert_rowid()", "last_insert_rowid"},
        {"total_changes()", "total_changes"},
        {"(SELECT abs(random()) FROM t LIMIT 1)", "random"},
    };
    struct qtr_error err;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char want[256];
        snprintf(want, sizeof want,
                 "[indicator x] expr: function %s() is not allowed: an expression may only use "
                 "functions that give the same result on every run (no random numbers, no clock, "
                 "no state of the database). Allowed: abs, coalesce,",
                 cases[k][1]);
        const char *msg = eval_error(cases[k][0], QTR_ERR_USAGE, &err);
        if (strncmp(msg, want, strlen(want)) != 0)
            fail_msg("%s:\n%s\nexpected to start with\n%s", cases[k][0], msg, want);
        const char *echo = strstr(msg, ". Expression: ");
        assert_non_null(echo);
        assert_string_equal(echo + strlen(". Expression: "), cases[k][0]);
    }
    /* deterministic functions and windows pass */
    const char *ok[] = {"round(sqrt(\"Bevölkerung\"), 3) - avg(\"Bevölkerung\") OVER ()"};
    double o[4];
    uint8_t m[4];
    double *out[] = {o};
    uint8_t *miss[] = {m};
    assert_int_equal(eval(1, ok, out, miss, &err), QTR_OK);
    assert_close(o[0], 1 - 10, 1e-12);
    assert_close(o[3], round(sqrt(27) * 1000) / 1000 - 10, 1e-12);
}

/* SQLite's reason is kept whole as long as struct qtr_error holds it. */
static void test_long_reason_is_kept(void **state)
{
    (void)state;
    char name[1502], ex[1600];
    memset(name, 'a', 1500);
    name[1500] = '\0';
    snprintf(ex, sizeof ex, "\"%s\" + 1", name);
    struct qtr_error err;
    char want[1700];
    snprintf(want, sizeof want, "[indicator x] expr: no such column \"%s\". Expression: \"", name);
    const char *msg = eval_error(ex, QTR_ERR_USAGE, &err);
    assert_int_equal(strncmp(msg, want, strlen(want)), 0);
    /* the echo of the expression and the column list get what is left */
    assert_true(strlen(msg) > 1900 && strlen(msg) < QTR_ERROR_MSG_SIZE);
    assert_non_null(strstr(msg, " [...] Columns (4): \"SGB II\""));
}

static void test_bad_column_names(void **state)
{
    (void)state;
    const char *nm[] = {"EW", "ew"};
    const double a[] = {1}, b[] = {2};
    const double *v[] = {a, b};
    const char *ex[] = {"1"};
    double o[1];
    uint8_t m[1];
    double *out[] = {o};
    uint8_t *miss[] = {m};
    struct qtr_error err = {0};
    assert_int_equal(qtr_indicators_eval(1, 2, nm, v, NULL, 1, ex, NULL, out, miss, &err),
                     QTR_ERR_DATA);
    assert_non_null(strstr(err.msg, "'EW' and 'ew'"));
    /* no columns at all: constants still evaluate once per district */
    assert_int_equal(qtr_indicators_eval(1, 0, NULL, NULL, NULL, 1, ex, NULL, out, miss, &err),
                     QTR_OK);
    assert_close(o[0], 1, 0);
}

#define ACOLS                                                                                      \
    " Columns (4): \"status_class\", \"dynamics_class\", \"status_index\", \"dynamics_index\""

static void test_attention_condition(void **state)
{
    (void)state;
    /* the default condition agrees with the MSS rule in the kernel for all
     * 12 groups; a district without classes is never flagged */
    uint8_t sc[13], dc[13], out[13];
    double si[13];
    for (int s = 1; s <= 4; s++)
        for (int d = 1; d <= 3; d++) {
            sc[(s - 1) * 3 + d - 1] = (uint8_t)s;
            dc[(s - 1) * 3 + d - 1] = (uint8_t)d;
            si[(s - 1) * 3 + d - 1] = s - 2.5;
        }
    sc[12] = dc[12] = 0;
    si[12] = NAN;
    struct qtr_error err = {0};
    assert_int_equal(
        qtr_indicators_attention(13, sc, dc, si, NULL, QTR_ATTENTION_DEFAULT, NULL, out, &err),
        QTR_OK);
    for (int i = 0; i < 12; i++) {
        unsigned want = qtr_renewal_attention(sc[i], dc[i], 0, NAN);
        assert_int_equal(out[i], want != 0);
    }
    assert_int_equal(out[12], 0);
    /* niedrig x3 + sehr niedrig x3 + mittel/negativ = 7 of the 12 groups */
    int cnt = 0;
    for (int i = 0; i < 12; i++)
        cnt += out[i];
    assert_int_equal(cnt, 7);

    /* a custom rule over the index values */
    assert_int_equal(qtr_indicators_attention(13, sc, dc, si, NULL,
                                              "status_index > 0 AND dynamics_class <> 'positiv'",
                                              NULL, out, &err),
                     QTR_OK);
    for (int i = 0; i < 12; i++)
        assert_int_equal(out[i], si[i] > 0 && dc[i] != 1);
    assert_int_equal(out[12], 0);

    assert_int_equal(
        qtr_indicators_attention(13, sc, dc, si, NULL, "status_class", NULL, out, &err),
        QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "gives text"));
    assert_int_equal(
        qtr_indicators_attention(13, sc, dc, si, NULL, "status = 'hoch'", NULL, out, &err),
        QTR_ERR_USAGE);
    assert_string_equal(err.msg, "attention condition: no such column \"status\"; a word in double "
                                 "quotes or without quotes is a column name, text values take "
                                 "single quotes: 'status'. Expression: status = 'hoch'" ACOLS);
}

/* The case: "niedrig" in double quotes silently acted as 0. */
static void test_attention_strict(void **state)
{
    (void)state;
    uint8_t sc[3] = {1, 3, 4}, dc[3] = {1, 2, 3}, out[3];
    struct qtr_error err = {0};
    assert_int_equal(qtr_indicators_attention(3, sc, dc, NULL, NULL,
                                              "\"status_klasse\" = \"niedrig\"",
                                              "a.ini [renewal] attention", out, &err),
                     QTR_ERR_USAGE);
    assert_string_equal(err.msg,
                        "a.ini [renewal] attention: no such column \"status_klasse\" \xe2\x80\x94 "
                        "did you mean \"status_class\"? \"niedrig\" is not a column either: text "
                        "values take single quotes, as in 'niedrig'; double quotes are for column "
                        "names. Expression: \"status_klasse\" = \"niedrig\"" ACOLS);
    assert_int_equal(qtr_indicators_attention(3, sc, dc, NULL, NULL,
                                              "\"status_class\" = \"niedrig\"",
                                              "a.ini [renewal] attention", out, &err),
                     QTR_ERR_USAGE);
    assert_string_equal(err.msg, "a.ini [renewal] attention: no such column \"niedrig\"; a word "
                                 "in double quotes or without quotes is a column name, text values "
                                 "take single quotes: 'niedrig'. Expression: \"status_class\" = "
                                 "\"niedrig\"" ACOLS);
    /* with single quotes: district 2 (class 3 = niedrig) only */
    assert_int_equal(qtr_indicators_attention(3, sc, dc, NULL, NULL, "\"status_class\" = 'niedrig'",
                                              "a.ini [renewal] attention", out, &err),
                     QTR_OK);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 1);
    assert_int_equal(out[2], 0);

    /* the same sandbox as the indicators: step budget, functions, wrapper */
    assert_int_equal(
        qtr_indicators_attention(3, sc, dc, NULL, NULL,
                                 "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                                 "SELECT max(x) > 0 FROM c",
                                 "a.ini [renewal] attention", out, &err),
        QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "a.ini [renewal] attention: stopped after 20 million SQLite "
                                    "steps, the limit for 3 districts"));
    assert_int_equal(qtr_indicators_attention(3, sc, dc, NULL, NULL, "random() > 0",
                                              "a.ini [renewal] attention", out, &err),
                     QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "a.ini [renewal] attention: function random() is not allowed"));
    assert_int_equal(qtr_indicators_attention(3, sc, dc, NULL, NULL, "1) OR (status_class = 'hoch'",
                                              "a.ini [renewal] attention", out, &err),
                     QTR_ERR_USAGE);
    assert_string_equal(err.msg, "a.ini [renewal] attention: ')' at character 2 closes a "
                                 "parenthesis the expression did not open. Expression: 1) OR "
                                 "(status_class = 'hoch'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate_with_zero_denominator),
        cmocka_unit_test(test_nonfinite_and_order),
        cmocka_unit_test(test_errors_name_expression_and_columns),
        cmocka_unit_test(test_bad_column_names),
        cmocka_unit_test(test_attention_condition),
        cmocka_unit_test(test_double_quoted_name_is_never_text),
        cmocka_unit_test(test_expression_cannot_escape_wrapper),
        cmocka_unit_test(test_step_budget_stops_endless_expression),
        cmocka_unit_test(test_nondeterministic_functions_refused),
        cmocka_unit_test(test_long_reason_is_kept),
        cmocka_unit_test(test_attention_strict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
