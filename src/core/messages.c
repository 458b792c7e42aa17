/* The message table of messages.h. */
#include "core/messages.h"

const struct sp_sr_strings sp_sr_strings = {
#define SP_SR_INIT_(name, text) text,
    SP_SR_LIST(SP_SR_INIT_)
#undef SP_SR_INIT_
};

const char *const sp_sr_text[SR_Count_] = {
#define SP_SR_POINTER_(name, text) [SR_##name] = sp_sr_strings.name,
    SP_SR_LIST(SP_SR_POINTER_)
#undef SP_SR_POINTER_
};
