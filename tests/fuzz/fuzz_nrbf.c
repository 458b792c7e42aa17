/* Feeds arbitrary bytes to the MS-NRBF MethodReturn reader. The first byte picks the declared
 * result kind (none, Int32, String, Array(Byte), Array(String), a struct); the rest is the body.
 * Any crash, leak, hang or huge allocation is a bug; exceptions are expected. */
#include "System.Runtime.Remoting/remoting.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct Pair {
    int32_t X;
    char *Name;
} Pair;
SHARPIPC_SERIALIZABLE(Pair, "Pair, Lib", (Int32, X), (String, Name))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const ParameterInfo kinds[] = {
        {"return", VariantType_Empty, VariantType_Empty, NULL},
        {"return", VariantType_Int32, VariantType_Empty, NULL},
        {"return", VariantType_String, VariantType_Empty, NULL},
        {"return", VariantType_Array, VariantType_Byte, NULL},
        {"return", VariantType_Array, VariantType_String, NULL},
        {"return", VariantType_Object, VariantType_Empty, &Pair_Type},
    };
    const ParameterInfo *want = data[0] % 7 == 6 ? NULL : &kinds[data[0] % 7];
    Variant r;
    if (sp_nrbf_read_return(data + 1, size - 1, want, &r))
        Variant_Clear(&r);
    Exception_Clear();
    return 0;
}
