/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-fold.c: turns names and notes into FTS5 tokens, and typed text into
 * an FTS5 query, so that the ways one name is written meet.
 *
 * The work happens in three steps:
 *  1. A tokenizer walks the text once, decomposing each character (NFKD,
 *     one character at a time so memory stays flat for 10 MB notes), and
 *     builds per word: the folded word, and a "sound" string for the key
 *     engine: ASCII for Latin-like scripts (Cyrillic, Ethiopic, ... are
 *     romanised on the way), or one code byte per letter for Arabic script.
 *  2. A key engine turns a sound string into slots (one per letter or
 *     digraph, each with one to three readings) and expands them into a
 *     few sound keys: consonant classes, vowels dropped, an initial vowel
 *     kept as "a". Ambiguous letters (Latin "ch", Arabic ث) give readings.
 *  3. Emission: indexed text gets words, transliterations and keys; a
 *     query gets, per word, an OR of its word, transliteration and keys,
 *     ANDed over the words, with joined alternatives for compound names.
 */
#include "config.h"

#define G_LOG_DOMAIN "koers-fold"

#include "koers-fold.h"

#include <string.h>

/* Bump when any rule changes: stored indexes must then be rebuilt. */
#define FOLD_VERSION "koers-fold-2"

#define KEY_TAG      "0"  /* sound keys start with a digit: no word does */
#define ALLAH_KEY    "allah"
#define KEYS_MAX     12   /* sound keys per word */
#define KEY_LEN      32   /* symbols per key */
#define SLOTS_MAX    48   /* letters per word that get keys: names are short */
#define COMBOS_MAX   64   /* readings tried per word */
#define QUERY_BYTES  1024 /* typed input beyond this is ignored */
#define QUERY_WORDS  8    /* words of a query */
#define JOIN_WORDS   4    /* compound alternatives among the first words */

typedef enum
{
  ENGINE_NONE,   /* digits, mixed or unsupported script: words only */
  ENGINE_LATIN,  /* sound is ASCII a-z */
  ENGINE_ARABIC, /* sound is one code byte per Arabic-script letter */
} Engine;

enum
{
  SCRIPT_LATIN  = 1 << 0, /* Latin and the scripts romanised into it */
  SCRIPT_ARABIC = 1 << 1,
  SCRIPT_OTHER  = 1 << 2,
  SCRIPT_DIGIT  = 1 << 3,
};

typedef struct
{
  GString  *word;      /* folded, UTF-8 */
  GString  *sound;     /* input of the key engine */
  guint     scripts;
  gboolean  cased;     /* the first letter has case */
  gboolean  upper;     /* ... and was upper case */
  gsize     last_unit; /* where in sound the last letter begins */
  gunichar  last;      /* the last letter, lower case, for its marks */
} Token;

/* Characters ------------------------------------------------------------------- */

/* Removed without splitting the word: joiners, bidi controls, tatweel,
 * apostrophes and the half rings of scholarly transliteration
 * ("Sa'id", "Saʿīd" and "Said" are one word). */
static gboolean
is_ignorable (gunichar c)
{
  switch (c)
    {
    case 0x0027: case 0x0060: case 0x00B4: case 0x00AD:
    case 0x02B9: case 0x02BB: case 0x02BC: case 0x02BD: case 0x02BE: case 0x02BF:
    case 0x0640: case 0x180E: case 0x2018: case 0x2019: case 0x2060: case 0xFEFF:
      return TRUE;
    default:
      return (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
             (c >= 0x2066 && c <= 0x2069);
    }
}

static gboolean
is_arabic_script (gunichar c)
{
  return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) ||
         (c >= 0x08A0 && c <= 0x08FF);
}

/* Scripts this file romanises and keys with the Latin rules. */
static gboolean
is_latin_family (gunichar c)
{
  return c < 0x0370 ||                         /* Latin, IPA */
         (c >= 0x0370 && c <= 0x03FF) ||       /* Greek */
         (c >= 0x0400 && c <= 0x052F) ||       /* Cyrillic */
         (c >= 0x0530 && c <= 0x058F) ||       /* Armenian */
         (c >= 0x10A0 && c <= 0x10FF) ||       /* Georgian */
         (c >= 0x1200 && c <= 0x139F) ||       /* Ethiopic */
         (c >= 0x1E00 && c <= 0x1EFF);         /* Latin extended additional */
}

/* Ethiopic: rows of eight syllables, one consonant per row, the vowel
 * order in the low three bits. Romanised the way Eritrean and Ethiopian
 * names are written in Latin letters: ተስፋይ "tesfay", ሰናይት "senayt";
 * Tigrinya ኽ, a k softened after a vowel, as "k" (ተኽለ "Tekle"). */
static const char *const ethiopic_consonant[] = {
  "h", "l", "h", "m", "s", "r", "s", "sh", "q", "qw", "q", "qw", "b", "v",
  "t", "ch", "h", "hw", "n", "ny", "", "k", "kw", "k", "kw", "w", "", "z",
  "zh", "y", "d", "d", "j", "g", "gw", "g", "t", "ch", "p", "ts", "ts", "f",
  "p",
};

static void
roman_ethiopic (gunichar c,
                char     buf[8])
{
  static const char *const vowel[] = { "e", "u", "i", "a", "e", "", "o", "wa" };
  static const char *const glottal[] = { "a", "u", "i", "a", "e", "e", "o", "wa" };
  guint row = (c - 0x1200) >> 3, order = c & 7;

  buf[0] = '\0';
  if (row >= G_N_ELEMENTS (ethiopic_consonant))
    return;
  g_strlcpy (buf, ethiopic_consonant[row], 8);
  if (row == 0x14 || row == 0x1A)      /* አ ዐ carry a vowel only */
    g_strlcat (buf, glottal[order], 8);
  else if (order == 0 && (row == 0x00 || row == 0x02 || row == 0x10))
    g_strlcat (buf, "a", 8);           /* ሀ ሐ ኀ are "ha" (Haile, Habte) */
  else
    g_strlcat (buf, vowel[order], 8);
}

static const char *
roman_cyrillic (gunichar c)
{
  static const char *const basic[] = {   /* а .. я */
    "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n",
    "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "",
    "y", "", "e", "yu", "ya",
  };

  if (c >= 0x0430 && c <= 0x044F)
    return basic[c - 0x0430];
  switch (c)
    {
    case 0x0452: return "dj";  case 0x0454: return "ye";  case 0x0455: return "dz";
    case 0x0456: return "i";   case 0x0458: return "j";   case 0x0459: return "lj";
    case 0x045A: return "nj";  case 0x045B: return "c";   case 0x045F: return "dz";
    case 0x0491: return "g";   case 0x0493: return "gh";  case 0x0497: return "j";
    case 0x049B: return "k";   case 0x04A3: return "n";   case 0x04AF: return "u";
    case 0x04B1: return "u";   case 0x04B3: return "h";   case 0x04B7: return "j";
    case 0x04BB: return "h";   case 0x04D9: return "e";   case 0x04E9: return "o";
    default:     return NULL;
    }
}

static const char *
roman_greek (gunichar c)
{
  static const char *const basic[] = {   /* α .. ω */
    "a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x",
    "o", "p", "r", "s", "s", "t", "y", "f", "ch", "ps", "o",
  };

  return c >= 0x03B1 && c <= 0x03C9 ? basic[c - 0x03B1] : NULL;
}

static const char *
roman_georgian (gunichar c)
{
  static const char *const basic[] = {   /* ა .. ჰ */
    "a", "b", "g", "d", "e", "v", "z", "t", "i", "k", "l", "m", "n", "o",
    "p", "zh", "r", "s", "t", "u", "p", "k", "gh", "q", "sh", "ch", "ts",
    "dz", "ts", "ch", "kh", "j", "h",
  };

  return c >= 0x10D0 && c <= 0x10F0 ? basic[c - 0x10D0] : NULL;
}

static const char *
roman_armenian (gunichar c)
{
  static const char *const basic[] = {   /* ա .. ֆ */
    "a", "b", "g", "d", "e", "z", "e", "e", "t", "zh", "i", "l", "kh", "ts",
    "k", "h", "dz", "gh", "ch", "m", "y", "n", "sh", "o", "ch", "p", "j",
    "r", "s", "v", "t", "r", "ts", "v", "p", "k", "o", "f",
  };

  return c >= 0x0561 && c <= 0x0586 ? basic[c - 0x0561] : NULL;
}

/* Latin letters without a decomposition, as their usual ASCII spelling. */
static const char *
roman_latin_special (gunichar c)
{
  switch (c)
    {
    case 0x00DF: return "ss";  case 0x00E6: return "ae";  case 0x00F0: return "dh";
    case 0x00F8: return "o";   case 0x00FE: return "th";  case 0x0111: return "dj";
    case 0x0127: return "h";   case 0x0131: return "i";   case 0x0138: return "k";
    case 0x0142: return "l";   case 0x014B: return "ng";  case 0x0153: return "oe";
    case 0x0167: return "t";   case 0x0180: return "b";   case 0x0192: return "f";
    case 0x0199: return "k";   case 0x01B4: return "y";   case 0x01DD: return "e";
    case 0x0253: return "b";   case 0x0254: return "o";   case 0x0256: return "d";
    case 0x0257: return "d";   case 0x0259: return "e";   case 0x025B: return "e";
    case 0x0263: return "gh";  case 0x0268: return "i";   case 0x0272: return "ny";
    case 0x0283: return "sh";  case 0x0292: return "zh";  case 0x0294: return "";
    default:     return NULL;
    }
}

/* The romanisation of one lower-case letter into buf; FALSE when unknown. */
static gboolean
roman (gunichar c,
       char     buf[8])
{
  const char *r = NULL;

  if (c < 0x80)
    {
      buf[0] = g_ascii_isalpha (c) ? (char) c : '\0';
      buf[1] = '\0';
      return buf[0] != '\0';
    }
  if (c >= 0x1200 && c <= 0x139F)
    {
      roman_ethiopic (c, buf);
      return TRUE;
    }
  if (c >= 0x0400 && c <= 0x052F)
    r = roman_cyrillic (c);
  else if (c >= 0x0370 && c <= 0x03FF)
    r = roman_greek (c);
  else if (c >= 0x10A0 && c <= 0x10FF)
    r = roman_georgian (c);
  else if (c >= 0x0530 && c <= 0x058F)
    r = roman_armenian (c);
  else
    r = roman_latin_special (c);
  if (r == NULL)
    return FALSE;
  g_strlcpy (buf, r, 8);
  return TRUE;
}

/* A combining mark can change how the letter before it sounds: ş and š
 * are "sh", й is "y", ё is "yo". Returns the new romanisation or NULL. */
static const char *
roman_with_mark (gunichar base,
                 gunichar mark)
{
  gboolean cedilla = mark == 0x0327 || mark == 0x0326, caron = mark == 0x030C;
  gboolean breve = mark == 0x0306, diaeresis = mark == 0x0308;

  switch (base)
    {
    case 's':    return cedilla || caron ? "sh" : NULL;
    case 'c':    return cedilla || caron ? "ch" : NULL;
    case 'z':    return caron ? "zh" : NULL;
    case 't':    return mark == 0x0326 ? "ts" : NULL;
    case 0x0438: return breve ? "y" : NULL;          /* й */
    case 0x0435: return diaeresis ? "yo" : NULL;     /* ё */
    case 0x0456: return diaeresis ? "yi" : NULL;     /* ї */
    case 0x0433: return mark == 0x0301 ? "gj" : NULL; /* ѓ */
    case 0x043A: return mark == 0x0301 ? "kj" : NULL; /* ќ */
    default:     return NULL;
    }
}

/* Arabic-script letters as one code byte each, for the key engine. Letters
 * that sound alike share a code (ت ط, س ص); the engine decides readings. */
static char
arabic_code (gunichar c)
{
  switch (c)
    {
    case 0x0627: case 0x0671: case 0x0672: case 0x0673:           return 'A';
    case 0x0621: case 0x0674:                                       return '\'';
    case 0x064A: case 0x0649: case 0x06CC: case 0x06D0: case 0x06CD:
    case 0x06D2: case 0x06CE: case 0x06D1:                          return 'y';
    case 0x0648: case 0x06C6: case 0x06C7: case 0x06C8: case 0x06C9:
    case 0x06CA: case 0x06CF:                                       return 'w';
    case 0x06CB: case 0x06A4:                                       return 'v';
    case 0x0628: case 0x067E:                                       return 'b';
    case 0x062A: case 0x0637: case 0x0679: case 0x067C:             return 't';
    case 0x062B:                                                    return 'T';
    case 0x062C:                                                    return 'j';
    case 0x0686: case 0x0687:                                       return 'c';
    case 0x062D: case 0x062E:                                       return 'H';
    case 0x062F: case 0x0688: case 0x0689:                          return 'd';
    case 0x0630:                                                    return 'D';
    case 0x0631: case 0x0695: case 0x0691: case 0x0693:             return 'r';
    case 0x0632:                                                    return 'z';
    case 0x0698:                                                    return 'J';
    case 0x0696:                                                    return 'K';
    case 0x0633: case 0x0635: case 0x0685:                          return 's';
    case 0x0634:                                                    return 'S';
    case 0x069A:                                                    return 'X';
    case 0x0636:                                                    return 'Z';
    case 0x0638:                                                    return 'Y';
    case 0x0639:                                                    return 'E';
    case 0x063A:                                                    return 'g';
    case 0x0641:                                                    return 'f';
    case 0x0642:                                                    return 'q';
    case 0x0643: case 0x06A9: case 0x06AA:                          return 'k';
    case 0x06AF: case 0x06AB:                                       return 'G';
    case 0x0644: case 0x06B5:                                       return 'l';
    case 0x0645:                                                    return 'm';
    case 0x0646: case 0x06BA: case 0x06BC: case 0x06BB:             return 'n';
    case 0x0647: case 0x06BE: case 0x06C1:                          return 'h';
    case 0x0629: case 0x06C3:                                       return '=';
    case 0x06D5:                                                    return 'e';
    case 0x0681:                                                    return '3';
    default:                                                        return 0;
    }
}

/* One written form per letter, so محمد typed on a Persian or an Arabic
 * keyboard, with or without vowel marks, is the same word. */
static gunichar
arabic_unify (gunichar c)
{
  switch (c)
    {
    case 0x0671: case 0x0672: case 0x0673:                          return 0x0627;
    case 0x0649: case 0x06CC: case 0x06D0: case 0x06CD: case 0x06D2:
    case 0x06CE: case 0x06D1:                                       return 0x064A;
    case 0x06A9: case 0x06AA:                                       return 0x0643;
    case 0x0629: case 0x06C3: case 0x06D5: case 0x06BE: case 0x06C1: return 0x0647;
    case 0x06B5:                                                    return 0x0644;
    case 0x0695:                                                    return 0x0631;
    case 0x06C6: case 0x06C7:                                       return 0x0648;
    case 0x0621: case 0x0674:                                       return 0; /* lone hamza */
    default:                                                        return c;
    }
}

/* Amharic spells h, s, a and ts' with letters that once differed and now
 * sound alike (ሀ ሐ ኀ, ሰ ሠ, አ ዐ, ጸ ፀ); one form each. */
static gunichar
ethiopic_unify (gunichar c)
{
  guint order = c & 7;

  if (order == 7)
    return c;
  if ((c >= 0x1210 && c <= 0x1216) || (c >= 0x1280 && c <= 0x1286))
    return 0x1200 + order;
  if (c >= 0x1220 && c <= 0x1226)
    return 0x1230 + order;
  if (c >= 0x12D0 && c <= 0x12D6)
    return 0x12A0 + order;
  if (c >= 0x1340 && c <= 0x1346)
    return 0x1338 + order;
  return c;
}

/* Appends the folded form of one lower-case letter or digit to a word. */
static void
word_append (GString *word,
             gunichar c)
{
  const char *special;

  if (c < 0x80)
    {
      g_string_append_c (word, (char) c);
      return;
    }
  if (g_unichar_isdigit (c))
    {
      g_string_append_c (word, (char) ('0' + g_unichar_digit_value (c)));
      return;
    }
  if (is_arabic_script (c))
    c = arabic_unify (c);
  else if (c >= 0x1200 && c <= 0x139F)
    c = ethiopic_unify (c);
  else if (c == 0x03C2)                  /* final sigma */
    c = 0x03C3;
  else if ((special = roman_latin_special (c)) != NULL)
    {
      g_string_append (word, special);
      return;
    }
  if (c != 0)
    g_string_append_unichar (word, c);
}

/* Tokenizer -------------------------------------------------------------------- */

typedef void (*TokenFunc) (Token   *tok,
                           gpointer user_data);

static void
token_reset (Token *tok)
{
  g_string_truncate (tok->word, 0);
  g_string_truncate (tok->sound, 0);
  tok->scripts = 0;
  tok->cased = tok->upper = FALSE;
  tok->last_unit = 0;
  tok->last = 0;
}

static void
token_add_letter (Token    *tok,
                  gunichar  orig)
{
  gunichar c = orig < 0x80 ? (gunichar) g_ascii_tolower ((char) orig) : g_unichar_tolower (orig);
  char buf[8];

  if (tok->word->len == 0 && tok->scripts == 0)
    {
      tok->cased = (c != orig || g_unichar_isupper (orig) || g_unichar_islower (orig)) &&
                   !(c >= 0x10A0 && c <= 0x10FF) && !(c >= 0x1C90 && c <= 0x1CBF);
      tok->upper = c != orig;
    }
  word_append (tok->word, c);
  tok->last = c;
  tok->last_unit = tok->sound->len;
  if (c < 0x80 ? g_ascii_isdigit (c) : g_unichar_isdigit (c))
    tok->scripts |= SCRIPT_DIGIT;
  else if (is_arabic_script (c))
    {
      char code = arabic_code (c);

      tok->scripts |= SCRIPT_ARABIC;
      if (code != 0)
        g_string_append_c (tok->sound, code);
    }
  else if (is_latin_family (c) && roman (c, buf))
    {
      tok->scripts |= SCRIPT_LATIN;
      /* Armenian ու is one vowel, "u" */
      if (c == 0x0582 && tok->sound->len > 0 && tok->sound->str[tok->sound->len - 1] == 'o')
        tok->sound->str[tok->sound->len - 1] = 'u';
      else
        g_string_append (tok->sound, buf);
    }
  else if (!g_unichar_isalpha (c) || !is_latin_family (c))
    tok->scripts |= SCRIPT_OTHER;
}

/* A mark never reaches the word (diacritics, harakat, shadda go), but it
 * can change the sound of the letter it sits on. */
static void
token_add_mark (Token    *tok,
                gunichar  mark)
{
  const char *r;

  if (tok->last == 0 || tok->sound->len <= tok->last_unit)
    return;                             /* the letter left no sound */
  if ((mark == 0x0654 || mark == 0x0655) && is_arabic_script (tok->last))
    {
      char *code = &tok->sound->str[tok->sound->len - 1];

      if (*code == 'y' || *code == 'w')  /* ئ ؤ: a hamza on a seat */
        *code = '\'';
    }
  else if ((r = roman_with_mark (tok->last, mark)) != NULL)
    {
      g_string_truncate (tok->sound, tok->last_unit);
      g_string_append (tok->sound, r);
    }
}

static void
token_end (Token     *tok,
           TokenFunc  func,
           gpointer   user_data)
{
  if (tok->word->len > 0)
    func (tok, user_data);
  token_reset (tok);
}

static void
tokenize_char (Token     *tok,
               gunichar   c,
               TokenFunc  func,
               gpointer   user_data)
{
  if (c < 0x80)
    {
      if (g_ascii_isalnum (c))
        token_add_letter (tok, c);
      else if (c != '\'' && c != '`')
        token_end (tok, func, user_data);
      return;
    }
  if (is_ignorable (c))
    return;
  switch (g_unichar_type (c))
    {
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
      token_add_mark (tok, c);
      break;
    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
      token_add_letter (tok, c);
      break;
    default:
      token_end (tok, func, user_data);
      break;
    }
}

/* Calls func for every word of text, in order. Characters are decomposed
 * one by one (compatibility decomposition: presentation forms, ligatures,
 * full-width letters), which is NFKD without the big buffers. */
static void
tokenize (const char *text,
          Token      *tok,
          TokenFunc   func,
          gpointer    user_data)
{
  const char *p = text;

  token_reset (tok);
  while (*p != '\0')
    {
      gunichar c, d[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
      gsize n;

      if ((guchar) *p < 0x80)
        {
          tokenize_char (tok, (guchar) *p++, func, user_data);
          continue;
        }
      c = g_utf8_get_char (p);
      p = g_utf8_next_char (p);
      n = g_unichar_fully_decompose (c, TRUE, d, G_N_ELEMENTS (d));
      for (gsize i = 0; i < n; i++)
        tokenize_char (tok, d[i], func, user_data);
    }
  token_end (tok, func, user_data);
}

/* Key engine ------------------------------------------------------------------- */

/* One letter or digraph: up to four readings, "" for silent. A silent
 * slot also separates equal consonants: only letters written next to each
 * other collapse ("mm" in Mohammed), "Dawit" keeps both d's. */
typedef struct
{
  const char *alt[4];
  guint8      n;
} Slot;

typedef struct
{
  guint n;
  char  key[KEYS_MAX][KEY_LEN + 1];
} KeySet;

typedef struct
{
  Slot  slot[SLOTS_MAX];
  guint n;
} Slots;

static void
put (Slots             *s,
     const char *const  alt[4])
{
  Slot *slot;

  if (s->n >= SLOTS_MAX)
    return;
  slot = &s->slot[s->n++];
  for (slot->n = 0; slot->n < 4 && alt[slot->n] != NULL; slot->n++)
    slot->alt[slot->n] = alt[slot->n];
}

#define PUT1(s, a)       put (s, (const char *const[4]) { a, NULL, NULL, NULL })
#define PUT2(s, a, b)    put (s, (const char *const[4]) { a, b, NULL, NULL })
#define GAP(s)           PUT1 (s, "")

static gboolean
is_vowel (char c)
{
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static gboolean
has_prefix (const char *s,
            gsize       n,
            const char *prefix)
{
  gsize len = strlen (prefix);

  return n >= len && memcmp (s, prefix, len) == 0;
}

static gboolean
has_suffix (const char *s,
            gsize       n,
            const char *suffix)
{
  gsize len = strlen (suffix);

  return n >= len && memcmp (s + n - len, suffix, len) == 0;
}

/* Latin digraphs, longest first, and what they sound like. Variance
 * between Dutch, English, French and German spelling lives here: sch/sj/sh,
 * tsj/tch/ch, dj/zj/zh. Ambiguous ones read several ways: "ch" is kh
 * (Chalid), sh (Rachid, Aicha), tsh or k (Zacharia); "th" is t (Thomas)
 * or s (Othman ~ Osman); "sh" also s+h (Ishaq). */
static const struct
{
  const char *spelling;
  const char *alt[4];
} latin_digraphs[] = {
  { "tsch", { "c" } },      { "dsch", { "j" } },      { "sch", { "x" } },
  { "tsj",  { "c" } },      { "tch",  { "c" } },      { "dzj", { "j" } },
  { "dzh",  { "j" } },      { "dj",   { "j" } },      { "zh",  { "j" } },
  { "zj",   { "j" } },      { "sj",   { "x" } },      { "sh",  { "x", "sh" } },
  { "ch",   { "h", "x", "c", "k" } },                 { "kh",  { "h" } },
  { "gh",   { "g" } },      { "ph",   { "f" } },      { "th",  { "d", "s", "dh" } },
  { "dh",   { "d", "s", "dh" } },                     { "ck",  { "k" } },
  { "ts",   { "s" } },      { "tz",   { "s" } },      { "dz",  { "s", "j", "ds" } },
};

static gsize
latin_digraph (const char *s,
               gsize       n,
               Slots      *out)
{
  /* every digraph starts with one of these and has an h, j, k, s or z in
   * second place: most letters are settled without looking further */
  if (n < 2 || strchr ("cdgkpstz", s[0]) == NULL || strchr ("chjksz", s[1]) == NULL)
    return 0;
  for (gsize i = 0; i < G_N_ELEMENTS (latin_digraphs); i++)
    if (s[0] == latin_digraphs[i].spelling[0] && has_prefix (s, n, latin_digraphs[i].spelling))
      {
        put (out, latin_digraphs[i].alt);
        return strlen (latin_digraphs[i].spelling);
      }
  return 0;
}

/* j is a consonant in English spelling (Khadija, Mujtaba) and a glide in
 * Dutch and Slavic spelling (Marjam, Natalja, Sergej). */
static void
latin_j (const char *s,
         gsize       n,
         gsize       i,
         Slots      *out)
{
  gboolean prev_vowel = i > 0 && (is_vowel (s[i - 1]) || s[i - 1] == 'y');
  gboolean next_vowel = i + 1 < n && is_vowel (s[i + 1]);

  if (i == 0)
    PUT2 (out, "j", "y");
  else if (!prev_vowel && i + 1 == n)
    PUT2 (out, "j", "");               /* "Marj|": Marjam being typed */
  else if ((!prev_vowel && next_vowel) || (prev_vowel && i + 1 == n) ||
           ((s[i - 1] == 'i' || s[i - 1] == 'e') && !next_vowel))
    GAP (out);
  else
    PUT1 (out, "j");
}

/* Consonants with one reading; voiced and voiceless pairs share a class
 * (Ahmed/Ahmet, Arabic has no p). */
static const char *const latin_simple[26] = {
  NULL, "b", NULL, "d", NULL, "f", "g", NULL, NULL, NULL, "k", "l", "m",
  "n", NULL, "b", "k", "r", "s", "d", NULL, NULL, NULL, NULL, NULL, "s",
};

static void
latin_letter (const char *s,
              gsize       n,
              gsize       i,
              Slots      *out)
{
  char c = s[i], next = i + 1 < n ? s[i + 1] : '\0';

  switch (c)
    {
    case 'y': if (i == 0) PUT1 (out, "y"); else GAP (out); break;
    case 'w': case 'v': if (i == 0) PUT1 (out, "w"); else GAP (out); break;
    case 'j': latin_j (s, n, i, out); break;
    case 'h':
      /* a final h after a vowel is often only spelling (Fatemeh, Abdullah)
       * and often not (Saleh, Fateh): read both */
      if (i + 1 == n && i > 0 && is_vowel (s[i - 1]))
        PUT2 (out, "h", "");
      else
        PUT1 (out, "h");
      break;
    case 'c':
      if (next == 'e' || next == 'i' || next == 'y')
        PUT1 (out, "s");
      else if (i == 0 && is_vowel (next))
        PUT2 (out, "k", "a");          /* Somali c is ayn: Cali, Cabdi */
      else
        PUT1 (out, "k");
      break;
    case 'x':                          /* Somali, Kurdish x is h/kh */
      if (i == 0) PUT2 (out, "h", "s"); else PUT2 (out, "ks", "h");
      break;
    default:
      if (c >= 'a' && c <= 'z' && latin_simple[c - 'a'] != NULL)
        PUT1 (out, latin_simple[c - 'a']);
      else
        GAP (out);
      break;
    }
}

/* An initial vowel (any vowel, or ou/oe before a vowel = w as in French
 * Oualid) is kept as "a": Omar and Amir differ from Mira and Mor. */
static gsize
latin_initial (const char *s,
               gsize       n,
               Slots      *out)
{
  gsize i = 0;

  if (n >= 3 && s[0] == 'o' && (s[1] == 'u' || s[1] == 'e') && is_vowel (s[2]))
    {
      PUT1 (out, "w");
      return 2;
    }
  if (is_vowel (s[0]) || (s[0] == 'y' && (n == 1 || !is_vowel (s[1]))))
    {
      PUT1 (out, "a");
      for (i = 1; i < n && is_vowel (s[i]); i++)
        ;
    }
  return i;
}

static void
latin_slots (const char *s,
             gsize       n,
             Slots      *out)
{
  gsize i = latin_initial (s, n, out);

  while (i < n)
    {
      gsize used;

      if (is_vowel (s[i]))
        {
          GAP (out);
          i++;
        }
      else if ((used = latin_digraph (s + i, n - i, out)) > 0)
        i += used;
      else
        latin_letter (s, n, i++, out);
    }
}

static void
arabic_slot (const char *s,
             gsize       n,
             gsize       i,
             Slots      *out)
{
  gboolean initial = i == 0, final = i > 0 && i + 1 == n;

  switch (s[i])
    {
    case 'A': case '\'': case 'E': case 'e':
      if (initial) PUT1 (out, "a"); else GAP (out);
      break;
    case 'y': if (initial) PUT1 (out, "y"); else GAP (out); break;
    case 'w': case 'v': if (initial) PUT1 (out, "w"); else GAP (out); break;
    case 'h': if (final) PUT2 (out, "h", ""); else PUT1 (out, "h"); break;
    case '=': PUT2 (out, "", "d"); break;      /* ة: silent, t in Rahmatullah */
    case 'b': PUT1 (out, "b"); break;
    case 't': case 'd': PUT1 (out, "d"); break;
    case 'T': case 'D': case 'Y': PUT2 (out, "s", "d"); break;  /* ث ذ ظ */
    case 'Z': PUT2 (out, "d", "s"); break;     /* ض: Ramadan, Ramazan */
    case 'j': PUT2 (out, "j", "g"); break;     /* ج: Jamal, Egyptian Gamal */
    case 'J': PUT1 (out, "j"); break;
    case 'K': PUT2 (out, "j", "g"); break;
    case 'c': PUT1 (out, "c"); break;
    case 'H': PUT1 (out, "h"); break;
    case 'r': PUT1 (out, "r"); break;
    case 'z': case 's': PUT1 (out, "s"); break;
    case '3': PUT2 (out, "s", "j"); break;
    case 'S': PUT1 (out, "x"); break;
    case 'X': PUT2 (out, "x", "h"); break;
    case 'g': case 'G': PUT1 (out, "g"); break;
    case 'f': PUT1 (out, "f"); break;
    case 'q': PUT2 (out, "k", "g"); break;     /* ق: Qasim, Gulf Gassim */
    case 'k': PUT1 (out, "k"); break;
    case 'l': PUT1 (out, "l"); break;
    case 'm': PUT1 (out, "m"); break;
    case 'n': PUT1 (out, "n"); break;
    default: GAP (out); break;
    }
}

static void
sound_slots (const char *s,
             gsize       n,
             Engine      engine,
             Slots      *out)
{
  out->n = 0;
  if (engine == ENGINE_LATIN)
    latin_slots (s, n, out);
  else
    for (gsize i = 0; i < n; i++)
      arabic_slot (s, n, i, out);
}

/* Expansion of slots into keys ------------------------------------------------- */

typedef struct
{
  const Slots *slots;
  guint        choice[SLOTS_MAX];
  guint        ambiguous[SLOTS_MAX];
  guint        n_ambiguous;
  guint        tried;
  const char  *before;  /* fixed symbols around the key (compounds) */
  const char  *after;
  KeySet      *keys;
} Expansion;

static void
keyset_add (KeySet     *keys,
            const char *key)
{
  if (strlen (key) < 2 || keys->n >= KEYS_MAX)
    return;
  for (guint i = 0; i < keys->n; i++)
    if (strcmp (keys->key[i], key) == 0)
      return;
  g_strlcpy (keys->key[keys->n++], key, KEY_LEN + 1);
}

static void
expansion_build (Expansion *e)
{
  char key[KEY_LEN + 1];
  gsize len = g_strlcpy (key, e->before, sizeof key);
  char last = 0;
  gboolean gap = TRUE;

  for (guint i = 0; i < e->slots->n; i++)
    {
      const char *alt = e->slots->slot[i].alt[e->choice[i]];

      if (*alt == '\0')
        gap = TRUE;
      for (; *alt != '\0' && len < KEY_LEN; alt++)
        {
          if (gap || *alt != last)
            key[len++] = *alt;
          last = *alt;
          gap = FALSE;
        }
    }
  key[len] = '\0';
  g_strlcat (key, e->after, sizeof key);
  keyset_add (e->keys, key);
}

/* Readings with fewer departures from the first reading come first, so
 * when the cap is reached the likeliest keys are the ones kept. */
static void
expansion_walk (Expansion *e,
                guint      from,
                guint      departures)
{
  if (e->keys->n >= KEYS_MAX || e->tried >= COMBOS_MAX)
    return;
  if (departures == 0)
    {
      e->tried++;
      expansion_build (e);
      return;
    }
  for (guint a = from; a + departures <= e->n_ambiguous; a++)
    {
      guint slot = e->ambiguous[a];

      for (guint j = 1; j < e->slots->slot[slot].n; j++)
        {
          e->choice[slot] = j;
          expansion_walk (e, a + 1, departures - 1);
        }
      e->choice[slot] = 0;
    }
}

static void
expand (const Slots *slots,
        const char  *before,
        const char  *after,
        KeySet      *keys)
{
  Expansion e = { .slots = slots, .before = before, .after = after, .keys = keys };

  for (guint i = 0; i < slots->n; i++)
    if (slots->slot[i].n > 1)
      e.ambiguous[e.n_ambiguous++] = i;
  for (guint d = 0; d <= e.n_ambiguous; d++)
    expansion_walk (&e, 0, d);
}

static void
scan (const char *s,
      gsize       n,
      Engine      engine,
      const char *before,
      const char *after,
      KeySet     *keys)
{
  Slots slots;

  if (n == 0)
    return;
  sound_slots (s, n, engine, &slots);
  expand (&slots, before, after, keys);
}

/* Compound names ----------------------------------------------------------------
 * Arabic names are built from parts that are written joined or apart, with
 * or without the article: Abd al-Rahman, Abdulrahman, Abdurrahman,
 * Abdirahman, عبد الرحمن. Each part is keyed on its own too, and "abd" +
 * the rest gives one key that all of these share. */

static gboolean
latin_article_rest (const char *s,
                    gsize       n,
                    gsize      *rest)
{
  if (n >= 5 && (s[0] == 'a' || s[0] == 'e') && s[1] == 'l' &&
      !is_vowel (s[2]) && s[2] != 'y' && s[2] != 'w')
    {
      *rest = 2;
      return TRUE;
    }
  return FALSE;
}

/* ال is the article before a consonant, and before an alef too (الأحمد,
 * al-Ahmad, is keyed as احمد as well): written joined, it is never part
 * of the name. Before ي or و it may be (الياس). */
static gboolean
arabic_article_rest (const char *s,
                     gsize       n,
                     gsize      *rest)
{
  if (n >= 4 && s[0] == 'A' && s[1] == 'l' && strchr ("yw'", s[2]) == NULL && (s[2] != 'A' || n >= 5))
    {
      *rest = 2;
      return TRUE;
    }
  return FALSE;
}

/* abd, abdul, abdel, abdi, abdou, cabdi ... then the rest of the name. */
static gboolean
abd_rest (const char *s,
          gsize       n,
          Engine      engine,
          gsize      *rest)
{
  gsize i;

  if (engine == ENGINE_ARABIC)
    {
      if (!has_prefix (s, n, "Ebd"))
        return FALSE;
      i = 3;
      if (n >= i + 4 && s[i] == 'A' && s[i + 1] == 'l')
        i += 2;
      *rest = i;
      return TRUE;
    }
  if (has_prefix (s, n, "abd"))
    i = 3;
  else if (has_prefix (s, n, "cabd"))
    i = 4;
  else
    return FALSE;
  while (i < n && is_vowel (s[i]))
    i++;
  if (i < n && s[i] == 'l' && i > 3)
    i++;
  *rest = i;
  return TRUE;
}

/* abu, abou, aboe, ابو before a name: Abubakar, Abu Bakr, أبو بكر. */
static gboolean
abu_rest (const char *s,
          gsize       n,
          Engine      engine,
          gsize      *rest)
{
  gsize i = 2;

  if (engine == ENGINE_ARABIC)
    {
      *rest = 3;
      return n >= 6 && has_prefix (s, n, "Abw");
    }
  if (!has_prefix (s, n, "ab") || n < 3 || (s[2] != 'o' && s[2] != 'u'))
    return FALSE;
  while (i < n && i < 4 && (s[i] == 'o' || s[i] == 'u' || s[i] == 'e'))
    i++;
  *rest = i;
  return i > 2 && n >= i + 3 && !is_vowel (s[i]);
}

/* ... al-din, uddin, eddine, aldin, الدين after a name. */
static gboolean
din_base (const char *s,
          gsize       n,
          Engine      engine,
          gsize      *base)
{
  gsize i = n;

  if (engine == ENGINE_ARABIC)
    {
      *base = n - 5;
      return has_suffix (s, n, "Aldyn");
    }
  if (i > 0 && s[i - 1] == 'e')
    i--;
  if (i == 0 || s[--i] != 'n')
    return FALSE;
  if (i >= 2 && (has_suffix (s, i, "ee") || has_suffix (s, i, "ie") || has_suffix (s, i, "ii")))
    i -= 2;
  else if (i >= 1 && (s[i - 1] == 'i' || s[i - 1] == 'y'))
    i -= 1;
  else
    return FALSE;
  if (i == 0 || s[--i] != 'd')
    return FALSE;
  if (i > 0 && (s[i - 1] == 'd' || s[i - 1] == 'l'))
    i--;
  if (i > 0 && is_vowel (s[i - 1]))
    i--;
  *base = i;
  return i == 0 || i >= 3;
}

/* ... ullah, allah, ollah, ulla, الله after a name (Habibullah), or
 * standing alone (base 0). */
static gboolean
allah_base (const char *s,
            gsize       n,
            Engine      engine,
            gsize      *base)
{
  static const char *const endings[] = { "ullah", "ollah", "allah", "ellah", "illah", "ulla", "olla" };

  if (engine == ENGINE_ARABIC)
    {
      *base = n - MIN (n, 4);
      return has_suffix (s, n, "Allh") && (n == 4 || n >= 6);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (endings); i++)
    {
      gsize len = strlen (endings[i]);

      if (has_suffix (s, n, endings[i]) && (n == len || n >= len + 3))
        {
          *base = n - len;
          return TRUE;
        }
    }
  return FALSE;
}

/* All keys of one word. split adds the parts of a compound on their own
 * (for indexing: a stored "Abdulrahman" must meet typed "Abdul Rahman");
 * queries leave it out so "Abdulrahman" does not match every "Abdul". */
static void
keys_of (const char *s,
         gsize       n,
         Engine      engine,
         gboolean    split,
         KeySet     *keys)
{
  gsize rest;

  keys->n = 0;
  if (engine == ENGINE_NONE || n == 0 || n > SLOTS_MAX)
    return;
  /* Allah alone (الله, Ullah, Allah) has one key, one no reading can
   * produce (an "a" inside), so it meets neither Ali nor Alexei */
  if (allah_base (s, n, engine, &rest) && rest == 0)
    {
      keyset_add (keys, ALLAH_KEY);
      return;
    }
  scan (s, n, engine, "", "", keys);
  if (engine == ENGINE_LATIN ? latin_article_rest (s, n, &rest) : arabic_article_rest (s, n, &rest))
    scan (s + rest, n - rest, engine, "", "", keys);
  if (abd_rest (s, n, engine, &rest))
    {
      if (split || rest == n)
        keyset_add (keys, "abd");
      if (n - rest >= 1)
        scan (s + rest, n - rest, engine, "abd", "", keys);
      if (split)
        scan (s + rest, n - rest, engine, "", "", keys);
    }
  if (split && abu_rest (s, n, engine, &rest))
    {
      keyset_add (keys, "ab");
      scan (s + rest, n - rest, engine, "", "", keys);
    }
  if (din_base (s, n, engine, &rest))
    {
      if (split || rest == 0)
        keyset_add (keys, "dn");
      if (rest > 0)
        scan (s, rest, engine, "", "dn", keys);
      if (split)
        scan (s, rest, engine, "", "", keys);
    }
  if (split && allah_base (s, n, engine, &rest))
    {
      keyset_add (keys, ALLAH_KEY);
      scan (s, rest, engine, "", "", keys);
    }
}

static Engine
token_engine (const Token *tok)
{
  if (tok->scripts == SCRIPT_LATIN)
    return ENGINE_LATIN;
  if (tok->scripts == SCRIPT_ARABIC)
    return ENGINE_ARABIC;
  return ENGINE_NONE;
}

/* The article al/el, standing alone ("al-Hassan") or assimilated to the
 * next name ("ad-Din", "ar-Rahman"): no keys of its own. */
static gboolean
is_article (const char *word,
            Engine      engine,
            const char *next_sound)
{
  static const char *const always[] = { "al", "el", "ul", "il", "ال" };
  static const char *const assimilated[] = {
    "ad", "ar", "as", "an", "at", "az", "ash", "ed", "er", "es", "en", "et",
    "ez", "ud", "ur", "us", "un", "ut", "uz",
  };

  if (engine == ENGINE_NONE || strlen (word) > 4)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (always); i++)
    if (strcmp (word, always[i]) == 0)
      return next_sound != NULL;
  if (next_sound == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (assimilated); i++)
    if (strcmp (word, assimilated[i]) == 0)
      return has_prefix (next_sound, strlen (next_sound), word + 1);
  return FALSE;
}

/* Indexed text ----------------------------------------------------------------- */

/* A word waiting for the next one: whether it is an article depends on it. */
typedef struct
{
  GString *word;
  GString *sound;
  Engine   engine;
  gboolean keyed;
} Held;

typedef struct
{
  GString  *out;
  gboolean  note;
  gboolean  have_held;
  Held      held;
  Held      prev;       /* last keyed word before held, across articles */
  gboolean  have_prev;
  GString  *joined;
  KeySet    keys;
} TextState;

static void
emit (GString    *out,
      const char *prefix,
      const char *token)
{
  if (out->len > 0)
    g_string_append_c (out, ' ');
  g_string_append (out, prefix);
  g_string_append (out, token);
}

static void
emit_keys (TextState *st)
{
  for (guint i = 0; i < st->keys.n; i++)
    emit (st->out, KEY_TAG, st->keys.key[i]);
}

static gboolean
is_abu_word (const char *word)
{
  static const char *const abu[] = { "abu", "abou", "aboe", "abo", "ابو", "bu" };

  if (strlen (word) > 6)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (abu); i++)
    if (strcmp (word, abu[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Names join freely (Mohammad Reza, Gebre Medhin); in notes only around
 * the known compound parts, so prose does not double the index. */
static gboolean
text_should_join (TextState *st)
{
  const Held *a = &st->prev, *b = &st->held;
  gsize rest;

  if (!st->have_prev || a->engine != b->engine || !a->keyed || !b->keyed)
    return FALSE;
  if (!st->note)
    return TRUE;
  return (abd_rest (a->sound->str, a->sound->len, a->engine, &rest) && rest == a->sound->len) ||
         is_abu_word (a->word->str) ||
         (din_base (b->sound->str, b->sound->len, b->engine, &rest) && rest == 0) ||
         (allah_base (b->sound->str, b->sound->len, b->engine, &rest) && rest == 0);
}

/* The held word's keys, now that the word after it is known. */
static void
text_release (TextState  *st,
              const char *next_sound)
{
  Held *h = &st->held;

  if (is_article (h->word->str, h->engine, next_sound))
    return;                             /* keep prev: join across it */
  if (h->keyed)
    {
      keys_of (h->sound->str, h->sound->len, h->engine, TRUE, &st->keys);
      emit_keys (st);
    }
  if (text_should_join (st))
    {
      g_string_assign (st->joined, st->prev.sound->str);
      g_string_append (st->joined, h->sound->str);
      keys_of (st->joined->str, st->joined->len, h->engine, FALSE, &st->keys);
      emit_keys (st);
    }
  /* the held word becomes prev; prev's buffers are reused for the next */
  {
    Held tmp = st->prev;

    st->prev = *h;
    *h = tmp;
  }
  st->have_prev = st->prev.keyed;
}

/* Worth a transliteration and keys: in a name every word, in a note the
 * words that look like names. */
static gboolean
token_keyed (const Token *tok,
             gboolean     note,
             Engine       engine)
{
  if (engine == ENGINE_NONE || tok->sound->len == 0 || tok->sound->len > SLOTS_MAX)
    return FALSE;
  return !note || !tok->cased || tok->upper;
}

static void
text_token (Token   *tok,
            gpointer user_data)
{
  TextState *st = user_data;
  Engine engine = token_engine (tok);
  gboolean keyed = token_keyed (tok, st->note, engine);

  emit (st->out, "", tok->word->str);
  if (keyed && engine == ENGINE_LATIN && strcmp (tok->sound->str, tok->word->str) != 0)
    emit (st->out, "", tok->sound->str);
  if (st->have_held)
    text_release (st, engine != ENGINE_NONE ? tok->sound->str : NULL);
  g_string_assign (st->held.word, tok->word->str);
  g_string_assign (st->held.sound, tok->sound->str);
  st->held.engine = engine;
  st->held.keyed = keyed;
  st->have_held = TRUE;
}

static void
held_init (Held *h)
{
  h->word = g_string_new (NULL);
  h->sound = g_string_new (NULL);
}

static void
held_clear (Held *h)
{
  g_string_free (h->word, TRUE);
  g_string_free (h->sound, TRUE);
}

static char *
fold_indexed (const char *text,
              gboolean    note)
{
  g_autofree char *valid = NULL;
  TextState st = { .note = note };
  Token tok = { 0 };

  if (text == NULL)
    return g_strdup ("");
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  st.out = g_string_sized_new (strlen (text) + 16);
  st.joined = g_string_new (NULL);
  held_init (&st.held);
  held_init (&st.prev);
  tok.word = g_string_new (NULL);
  tok.sound = g_string_new (NULL);

  tokenize (text, &tok, text_token, &st);
  if (st.have_held)
    text_release (&st, NULL);

  g_string_free (tok.word, TRUE);
  g_string_free (tok.sound, TRUE);
  held_clear (&st.held);
  held_clear (&st.prev);
  g_string_free (st.joined, TRUE);
  return g_string_free (st.out, FALSE);
}

char *
koers_fold_text (const char *text)
{
  return fold_indexed (text, FALSE);
}

char *
koers_fold_note (const char *text)
{
  return fold_indexed (text, TRUE);
}

const char *
koers_fold_version (void)
{
  return FOLD_VERSION;
}

/* Queries ---------------------------------------------------------------------- */

typedef struct
{
  char   *word;
  char   *sound;
  Engine  engine;
} Typed;

typedef struct
{
  Typed    words[QUERY_WORDS + 1];
  guint    n;
  gboolean prefix;   /* the last word is still being typed */
} Query;

static void
query_token (Token   *tok,
             gpointer user_data)
{
  Query *q = user_data;
  Typed *t;

  if (q->n > QUERY_WORDS)
    return;
  t = &q->words[q->n++];
  t->word = g_strdup (tok->word->str);
  t->engine = token_engine (tok);
  t->sound = g_strdup (t->engine != ENGINE_NONE && tok->sound->len <= SLOTS_MAX ? tok->sound->str : "");
}

/* Articles are left out of a query (they decide nothing and stored names
 * may lack them), unless the article is all there is. */
static void
query_drop_articles (Query *q)
{
  guint kept = 0;

  for (guint i = 0; i < q->n; i++)
    {
      Typed *t = &q->words[i];
      const char *next = i + 1 < q->n ? q->words[i + 1].sound : NULL;

      if (is_article (t->word, t->engine, next))
        {
          g_free (t->word);
          g_free (t->sound);
          continue;
        }
      q->words[kept++] = *t;
    }
  q->n = MIN (kept, QUERY_WORDS);
  for (guint i = q->n; i < kept; i++)
    {
      g_free (q->words[i].word);
      g_free (q->words[i].sound);
    }
}

/* A term, quoted the FTS5 way: whatever it holds, it is one string. */
static void
append_term (GString    *q,
             gboolean   *first,
             const char *prefix,
             const char *term,
             gboolean    star)
{
  if (!*first)
    g_string_append (q, " OR ");
  *first = FALSE;
  g_string_append_c (q, '"');
  g_string_append (q, prefix);
  for (const char *p = term; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (q, '"');
      g_string_append_c (q, *p);
    }
  g_string_append_c (q, '"');
  if (star)
    g_string_append_c (q, '*');
}

/* A key of a word still being typed is a prefix only with two or more
 * consonants; an initial vowel (a) does not count, so "Ali" (al) is no
 * prefix. A key that starts with a+l and more is a prefix only when the
 * typed word starts with the article: stored al- names are keyed with
 * their article, and "Alexei" (al+ks, al+h) would otherwise find every
 * al-Qasim and al-Hassan while it is typed. */
static gboolean
key_may_be_prefix (const char *key,
                   gboolean    typed_article)
{
  gsize len = strlen (key);

  if (key[0] == 'a' && key[1] == 'l' && len > 2 && !typed_article)
    return FALSE;
  return len - (key[0] == 'a') >= 2;
}

/* (word OR transliteration OR keys) for one word or a joined pair. */
static void
append_group (GString    *q,
              const char *word,
              const char *sound,
              Engine      engine,
              gboolean    star)
{
  KeySet keys;
  gboolean first = TRUE;
  gsize rest;
  gboolean article = engine == ENGINE_LATIN ? latin_article_rest (sound, strlen (sound), &rest)
                                            : arabic_article_rest (sound, strlen (sound), &rest);

  g_string_append_c (q, '(');
  append_term (q, &first, "", word, star);
  /* a transliteration of one typed letter ("ተ" is "te") as a prefix would
   * match half the Dutch in the notes: only from three letters on */
  if (engine == ENGINE_LATIN && *sound != '\0' && strcmp (sound, word) != 0)
    append_term (q, &first, "", sound, star && strlen (sound) >= 3);
  keys_of (sound, strlen (sound), engine, FALSE, &keys);
  for (guint i = 0; i < keys.n; i++)
    append_term (q, &first, KEY_TAG, keys.key[i], star && key_may_be_prefix (keys.key[i], article));
  g_string_append_c (q, ')');
}

static gboolean
query_joinable (const Query *q,
                guint        i)
{
  const Typed *a = &q->words[i], *b = &q->words[i + 1];

  return i + 1 < JOIN_WORDS && a->engine != ENGINE_NONE && a->engine == b->engine &&
         *a->sound != '\0' && *b->sound != '\0';
}

static void append_from (GString *s, const Query *q, guint i);

/* Words i and i+1 written as one ("Ali Reza" for a stored "Alireza"). */
static void
append_joined (GString     *s,
               const Query *q,
               guint        i)
{
  g_autofree char *word = g_strconcat (q->words[i].word, q->words[i + 1].word, NULL);
  g_autofree char *sound = g_strconcat (q->words[i].sound, q->words[i + 1].sound, NULL);
  gboolean star = q->prefix && i + 2 == q->n;

  if (i + 2 < q->n)
    g_string_append_c (s, '(');
  append_group (s, word, sound, q->words[i].engine, star);
  if (i + 2 < q->n)
    {
      g_string_append (s, " AND ");
      append_from (s, q, i + 2);
      g_string_append_c (s, ')');
    }
}

/* Words i.. as an expression: each word, or a word joined with the next. */
static void
append_from (GString     *s,
             const Query *q,
             guint        i)
{
  const Typed *t = &q->words[i];
  gboolean star = q->prefix && i + 1 == q->n;

  if (i + 1 == q->n)
    {
      append_group (s, t->word, t->sound, t->engine, star);
      return;
    }
  g_string_append (s, "((");
  append_group (s, t->word, t->sound, t->engine, FALSE);
  g_string_append (s, " AND ");
  append_from (s, q, i + 1);
  g_string_append_c (s, ')');
  if (query_joinable (q, i))
    {
      g_string_append (s, " OR ");
      append_joined (s, q, i);
    }
  g_string_append_c (s, ')');
}

/* Whether the input ends inside a word (still being typed). */
static gboolean
ends_in_word (const char *typed,
              gsize       len)
{
  const char *last;
  gunichar c;

  if (len == 0)
    return FALSE;
  last = g_utf8_find_prev_char (typed, typed + len);
  if (last == NULL)
    return FALSE;
  c = g_utf8_get_char (last);
  return g_unichar_isalnum (c) || g_unichar_ismark (c) || is_ignorable (c);
}

char *
koers_fold_query (const char *typed)
{
  g_autofree char *valid = NULL;
  Query q = { .n = 0 };
  Token tok = { 0 };
  GString *s;
  gsize len;

  if (typed == NULL)
    return NULL;
  /* a search field needs no more than a few names; cut at a character */
  len = strlen (typed);
  if (len > QUERY_BYTES)
    for (len = QUERY_BYTES; len > 0 && ((guchar) typed[len] & 0xC0) == 0x80; len--)
      ;
  valid = g_utf8_make_valid (typed, len);
  q.prefix = ends_in_word (valid, strlen (valid));

  tok.word = g_string_new (NULL);
  tok.sound = g_string_new (NULL);
  tokenize (valid, &tok, query_token, &q);
  g_string_free (tok.word, TRUE);
  g_string_free (tok.sound, TRUE);
  if (q.n > QUERY_WORDS)
    q.prefix = FALSE;                   /* the last word kept is complete */
  query_drop_articles (&q);
  if (q.n == 0)
    return NULL;

  s = g_string_new (NULL);
  append_from (s, &q, 0);
  for (guint i = 0; i < q.n; i++)
    {
      g_free (q.words[i].word);
      g_free (q.words[i].sound);
    }
  return g_string_free (s, FALSE);
}
