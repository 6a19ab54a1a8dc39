/* fault.c: setting a fault's parts into the caller's storage; see fault.h.
 *
 * The storage holds the message from its first byte and the detail right after the message's NUL,
 * so the caller's array reads as the message and setting the detail never overwrites it. */
#include "fault.h"

#include <stdio.h>
#include <string.h>

gg_fault gg_fault_in(char *text, size_t size)
{
    if (text != NULL && size > 0) text[0] = '\0';
    return (gg_fault){.text = text, .text_size = size};
}

gg_fault *gg_fault_into(gg_fault *fault, char *text, size_t size)
{
    *fault = gg_fault_in(text, size);
    return fault;
}

bool gg_fault_setv(gg_fault *fault, const char *error_type, const char *fmt, va_list ap)
{
    fault->error_type = error_type;
    fault->detail = NULL;
    if (fault->text == NULL || fault->text_size == 0) {
        fault->message = fmt;
        return false;
    }
    vsnprintf(fault->text, fault->text_size, fmt, ap);
    fault->message = fault->text;
    return false;
}

bool gg_fault_set(gg_fault *fault, const char *error_type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gg_fault_setv(fault, error_type, fmt, ap);
    va_end(ap);
    return false;
}

bool gg_fault_set_text(gg_fault *fault, const char *error_type, const char *message)
{
    if (fault->text != NULL && fault->text_size > 0) return gg_fault_set(fault, error_type, "%s", message);
    fault->error_type = error_type;
    fault->message = message;
    fault->detail = NULL;
    return false;
}

void gg_fault_set_detail(gg_fault *fault, const char *fmt, ...)
{
    size_t used = fault->message == fault->text && fault->text != NULL ? strlen(fault->text) + 1 : 0;
    if (fault->text == NULL || used >= fault->text_size) {
        fault->detail = fault->text == NULL ? fmt : NULL;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fault->text + used, fault->text_size - used, fmt, ap);
    va_end(ap);
    fault->detail = fault->text + used;
}

bool gg_fault_is_set(const gg_fault *fault)
{
    return fault->message != NULL;
}
