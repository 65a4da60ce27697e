package dev.isthmus.scopes;

/**
 * The async executor's fields, grouped by which thread writes them and padded apart so no two
 * groups share a cache line (false sharing would cost a cache miss per op on each side): the
 * issuing thread's own state, the consumer's progress counter, and the rarely written state both
 * read at every op. Padding by inheritance, because HotSpot lays a superclass's fields out before
 * its subclass's; the pads are 128 single bytes because HotSpot fills holes left in a
 * superclass's layout with the subclass's smallest fields, so byte pads fill every hole
 * themselves (and 128 bytes also defeat the adjacent-line prefetcher).
 */
@SuppressWarnings("unused")
final class AsyncFields {
  private AsyncFields() {}

  abstract static class Pad0 {
    byte p0000, p0001, p0002, p0003, p0004, p0005, p0006, p0007;
    byte p0008, p0009, p0010, p0011, p0012, p0013, p0014, p0015;
    byte p0016, p0017, p0018, p0019, p0020, p0021, p0022, p0023;
    byte p0024, p0025, p0026, p0027, p0028, p0029, p0030, p0031;
    byte p0032, p0033, p0034, p0035, p0036, p0037, p0038, p0039;
    byte p0040, p0041, p0042, p0043, p0044, p0045, p0046, p0047;
    byte p0048, p0049, p0050, p0051, p0052, p0053, p0054, p0055;
    byte p0056, p0057, p0058, p0059, p0060, p0061, p0062, p0063;
    byte p0064, p0065, p0066, p0067, p0068, p0069, p0070, p0071;
    byte p0072, p0073, p0074, p0075, p0076, p0077, p0078, p0079;
    byte p0080, p0081, p0082, p0083, p0084, p0085, p0086, p0087;
    byte p0088, p0089, p0090, p0091, p0092, p0093, p0094, p0095;
    byte p0096, p0097, p0098, p0099, p0100, p0101, p0102, p0103;
    byte p0104, p0105, p0106, p0107, p0108, p0109, p0110, p0111;
    byte p0112, p0113, p0114, p0115, p0116, p0117, p0118, p0119;
    byte p0120, p0121, p0122, p0123, p0124, p0125, p0126, p0127;
  }

  /** Written by the issuing thread at every op; read by it alone. */
  abstract static class Issuer extends Pad0 {
    /** The chunk being filled and its next free slot. */
    AsyncExecutor.Chunk tail;
    int tailIndex;
    /** Ops issued (the last one's number; ops are numbered from 1). */
    long issued;
    /** A recent value of {@code completed}; the issuing thread re-reads it only when needed. */
    long completedSeen;
  }

  abstract static class Pad1 extends Issuer {
    byte p1000, p1001, p1002, p1003, p1004, p1005, p1006, p1007;
    byte p1008, p1009, p1010, p1011, p1012, p1013, p1014, p1015;
    byte p1016, p1017, p1018, p1019, p1020, p1021, p1022, p1023;
    byte p1024, p1025, p1026, p1027, p1028, p1029, p1030, p1031;
    byte p1032, p1033, p1034, p1035, p1036, p1037, p1038, p1039;
    byte p1040, p1041, p1042, p1043, p1044, p1045, p1046, p1047;
    byte p1048, p1049, p1050, p1051, p1052, p1053, p1054, p1055;
    byte p1056, p1057, p1058, p1059, p1060, p1061, p1062, p1063;
    byte p1064, p1065, p1066, p1067, p1068, p1069, p1070, p1071;
    byte p1072, p1073, p1074, p1075, p1076, p1077, p1078, p1079;
    byte p1080, p1081, p1082, p1083, p1084, p1085, p1086, p1087;
    byte p1088, p1089, p1090, p1091, p1092, p1093, p1094, p1095;
    byte p1096, p1097, p1098, p1099, p1100, p1101, p1102, p1103;
    byte p1104, p1105, p1106, p1107, p1108, p1109, p1110, p1111;
    byte p1112, p1113, p1114, p1115, p1116, p1117, p1118, p1119;
    byte p1120, p1121, p1122, p1123, p1124, p1125, p1126, p1127;
  }

  /** Written by the consumer at every op. */
  abstract static class Progress extends Pad1 {
    /** The number of the last op that ran (or was cancelled). */
    volatile long completed;
  }

  abstract static class Pad2 extends Progress {
    byte p2000, p2001, p2002, p2003, p2004, p2005, p2006, p2007;
    byte p2008, p2009, p2010, p2011, p2012, p2013, p2014, p2015;
    byte p2016, p2017, p2018, p2019, p2020, p2021, p2022, p2023;
    byte p2024, p2025, p2026, p2027, p2028, p2029, p2030, p2031;
    byte p2032, p2033, p2034, p2035, p2036, p2037, p2038, p2039;
    byte p2040, p2041, p2042, p2043, p2044, p2045, p2046, p2047;
    byte p2048, p2049, p2050, p2051, p2052, p2053, p2054, p2055;
    byte p2056, p2057, p2058, p2059, p2060, p2061, p2062, p2063;
    byte p2064, p2065, p2066, p2067, p2068, p2069, p2070, p2071;
    byte p2072, p2073, p2074, p2075, p2076, p2077, p2078, p2079;
    byte p2080, p2081, p2082, p2083, p2084, p2085, p2086, p2087;
    byte p2088, p2089, p2090, p2091, p2092, p2093, p2094, p2095;
    byte p2096, p2097, p2098, p2099, p2100, p2101, p2102, p2103;
    byte p2104, p2105, p2106, p2107, p2108, p2109, p2110, p2111;
    byte p2112, p2113, p2114, p2115, p2116, p2117, p2118, p2119;
    byte p2120, p2121, p2122, p2123, p2124, p2125, p2126, p2127;
  }

  /** Written rarely, read by both threads at every op. */
  abstract static class Shared extends Pad2 {
    /** The first error; ops after it are cancelled with it. */
    volatile dev.isthmus.IsthmusException error;
    /** True while the consumer is parked (or about to park): an issuer must unpark it. */
    volatile boolean parked;
    volatile boolean shutdown;
    volatile boolean held;
    /** The smallest op number a parked waiter waits for (Long.MAX_VALUE: none). */
    volatile long wakeAt = Long.MAX_VALUE;
  }

  abstract static class Pad3 extends Shared {
    byte p3000, p3001, p3002, p3003, p3004, p3005, p3006, p3007;
    byte p3008, p3009, p3010, p3011, p3012, p3013, p3014, p3015;
    byte p3016, p3017, p3018, p3019, p3020, p3021, p3022, p3023;
    byte p3024, p3025, p3026, p3027, p3028, p3029, p3030, p3031;
    byte p3032, p3033, p3034, p3035, p3036, p3037, p3038, p3039;
    byte p3040, p3041, p3042, p3043, p3044, p3045, p3046, p3047;
    byte p3048, p3049, p3050, p3051, p3052, p3053, p3054, p3055;
    byte p3056, p3057, p3058, p3059, p3060, p3061, p3062, p3063;
    byte p3064, p3065, p3066, p3067, p3068, p3069, p3070, p3071;
    byte p3072, p3073, p3074, p3075, p3076, p3077, p3078, p3079;
    byte p3080, p3081, p3082, p3083, p3084, p3085, p3086, p3087;
    byte p3088, p3089, p3090, p3091, p3092, p3093, p3094, p3095;
    byte p3096, p3097, p3098, p3099, p3100, p3101, p3102, p3103;
    byte p3104, p3105, p3106, p3107, p3108, p3109, p3110, p3111;
    byte p3112, p3113, p3114, p3115, p3116, p3117, p3118, p3119;
    byte p3120, p3121, p3122, p3123, p3124, p3125, p3126, p3127;
  }
}
