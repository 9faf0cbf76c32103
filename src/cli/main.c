/*
 * quartier - segregation analysis and social monitoring for German municipalities.
 * A table of subcommands, as git does; each parses its options, calls the pipeline
 * and maps the status to an exit code (0 ok, 1 failure, 2 usage).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} commands[] = {
    {"run", cmd_run, "run the whole analysis of an analysis file and write the outputs"},
    {"check", cmd_check, "read and join everything, print the join and data-quality report"},
    {"indices", cmd_indices, "segregation indices of a boundary layer, without an analysis file"},
    {"weights", cmd_weights, "spatial weights of a boundary layer as GeoDa/PySAL .gal or .gwt"},
    {"carry", cmd_carry, "carry counts from one district layout onto another (crosswalk)"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: quartier <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'quartier <command> --help' describes a command; 'quartier --version' "
                 "prints the version.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("quartier %s\n", QTR_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "quartier: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
