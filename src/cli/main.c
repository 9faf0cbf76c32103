#include <stdio.h>

int main(void)
{
    puts("quartier " QTR_VERSION);
    return 0;
}
