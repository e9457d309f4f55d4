// zlib from the system (zlib1g-dev): inflate for .gz exports.
#include <zlib.h>
