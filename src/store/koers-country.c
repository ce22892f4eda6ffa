/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-country.c: the country table and lookups by code and by name. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <stdlib.h>
#include <string.h>

#include "koers-country.h"

typedef struct
{
  const char *code;
  const char *name_en;
  const char *name_nl;
  const char *other_names;   /* "; "-separated, or NULL */
  gboolean    erso;
} Country;

/* Sorted by code. ISO 3166-1 alpha-2 from Debian's iso-codes 4.15 (249
 * codes) plus XK. English: the common name where iso-codes has one
 * ("Iran", "Syria"), shortened where its name reads as a form ("DR
 * Congo", "Russia"). Dutch: iso-codes' nl translation, with the names the
 * Dutch government uses today (Georgië, Belarus, Noord-Macedonië, ...).
 * erso: countries where ERSO partners are known to work (ERSO project
 * pages and Maatwerk bij Terugkeer's countries of return; an assumption
 * until the office sends its list, see docs/case-model.md). */
static const Country countries[] = {
  { "AD", "Andorra", "Andorra", NULL, FALSE },
  { "AE", "United Arab Emirates", "Verenigde Arabische Emiraten", "Emirates; Emiraten", FALSE },
  { "AF", "Afghanistan", "Afghanistan", NULL, TRUE },
  { "AG", "Antigua and Barbuda", "Antigua en Barbuda", NULL, FALSE },
  { "AI", "Anguilla", "Anguilla", NULL, FALSE },
  { "AL", "Albania", "Albanië", NULL, TRUE },
  { "AM", "Armenia", "Armenië", NULL, TRUE },
  { "AO", "Angola", "Angola", NULL, TRUE },
  { "AQ", "Antarctica", "Antarctica", NULL, FALSE },
  { "AR", "Argentina", "Argentinië", NULL, FALSE },
  { "AS", "American Samoa", "Amerikaans-Samoa", NULL, FALSE },
  { "AT", "Austria", "Oostenrijk", NULL, FALSE },
  { "AU", "Australia", "Australië", NULL, FALSE },
  { "AW", "Aruba", "Aruba", NULL, FALSE },
  { "AX", "Åland Islands", "Ålandseilanden", NULL, FALSE },
  { "AZ", "Azerbaijan", "Azerbeidzjan", NULL, TRUE },
  { "BA", "Bosnia and Herzegovina", "Bosnië en Herzegovina", NULL, TRUE },
  { "BB", "Barbados", "Barbados", NULL, FALSE },
  { "BD", "Bangladesh", "Bangladesh", NULL, TRUE },
  { "BE", "Belgium", "België", NULL, FALSE },
  { "BF", "Burkina Faso", "Burkina Faso", NULL, FALSE },
  { "BG", "Bulgaria", "Bulgarije", NULL, FALSE },
  { "BH", "Bahrain", "Bahrein", NULL, FALSE },
  { "BI", "Burundi", "Burundi", NULL, TRUE },
  { "BJ", "Benin", "Benin", NULL, FALSE },
  { "BL", "Saint Barthélemy", "Saint-Barthélemy", NULL, FALSE },
  { "BM", "Bermuda", "Bermuda", NULL, FALSE },
  { "BN", "Brunei", "Brunei", NULL, FALSE },
  { "BO", "Bolivia", "Bolivia", NULL, TRUE },
  { "BQ", "Caribbean Netherlands", "Caribisch Nederland", NULL, FALSE },
  { "BR", "Brazil", "Brazilië", NULL, FALSE },
  { "BS", "Bahamas", "Bahama's", NULL, FALSE },
  { "BT", "Bhutan", "Bhutan", NULL, FALSE },
  { "BV", "Bouvet Island", "Bouveteiland", NULL, FALSE },
  { "BW", "Botswana", "Botswana", NULL, FALSE },
  { "BY", "Belarus", "Belarus", "Wit-Rusland; Byelorussia", FALSE },
  { "BZ", "Belize", "Belize", NULL, FALSE },
  { "CA", "Canada", "Canada", NULL, FALSE },
  { "CC", "Cocos Islands", "Cocoseilanden", NULL, FALSE },
  { "CD", "DR Congo", "DR Congo", "Democratic Republic of the Congo; Congo-Kinshasa; Democratische Republiek Congo", TRUE },
  { "CF", "Central African Republic", "Centraal-Afrikaanse Republiek", NULL, FALSE },
  { "CG", "Republic of the Congo", "Congo-Brazzaville", "Congo", FALSE },
  { "CH", "Switzerland", "Zwitserland", NULL, FALSE },
  { "CI", "Côte d'Ivoire", "Ivoorkust", "Ivory Coast", TRUE },
  { "CK", "Cook Islands", "Cookeilanden", NULL, FALSE },
  { "CL", "Chile", "Chili", NULL, FALSE },
  { "CM", "Cameroon", "Kameroen", NULL, TRUE },
  { "CN", "China", "China", NULL, TRUE },
  { "CO", "Colombia", "Colombia", NULL, TRUE },
  { "CR", "Costa Rica", "Costa Rica", NULL, FALSE },
  { "CU", "Cuba", "Cuba", NULL, FALSE },
  { "CV", "Cape Verde", "Kaapverdië", "Cabo Verde", FALSE },
  { "CW", "Curaçao", "Curaçao", NULL, FALSE },
  { "CX", "Christmas Island", "Christmaseiland", NULL, FALSE },
  { "CY", "Cyprus", "Cyprus", NULL, FALSE },
  { "CZ", "Czechia", "Tsjechië", "Czech Republic; Tsjechische Republiek", FALSE },
  { "DE", "Germany", "Duitsland", NULL, FALSE },
  { "DJ", "Djibouti", "Djibouti", NULL, FALSE },
  { "DK", "Denmark", "Denemarken", NULL, FALSE },
  { "DM", "Dominica", "Dominica", NULL, FALSE },
  { "DO", "Dominican Republic", "Dominicaanse Republiek", NULL, FALSE },
  { "DZ", "Algeria", "Algerije", NULL, TRUE },
  { "EC", "Ecuador", "Ecuador", NULL, FALSE },
  { "EE", "Estonia", "Estland", NULL, FALSE },
  { "EG", "Egypt", "Egypte", NULL, TRUE },
  { "EH", "Western Sahara", "Westelijke Sahara", NULL, FALSE },
  { "ER", "Eritrea", "Eritrea", NULL, FALSE },
  { "ES", "Spain", "Spanje", NULL, FALSE },
  { "ET", "Ethiopia", "Ethiopië", NULL, TRUE },
  { "FI", "Finland", "Finland", NULL, FALSE },
  { "FJ", "Fiji", "Fiji", NULL, FALSE },
  { "FK", "Falkland Islands", "Falklandeilanden", NULL, FALSE },
  { "FM", "Micronesia", "Micronesia", NULL, FALSE },
  { "FO", "Faroe Islands", "Faeröer", NULL, FALSE },
  { "FR", "France", "Frankrijk", NULL, FALSE },
  { "GA", "Gabon", "Gabon", NULL, FALSE },
  { "GB", "United Kingdom", "Verenigd Koninkrijk", "Great Britain; Groot-Brittannië; Engeland; England", FALSE },
  { "GD", "Grenada", "Grenada", NULL, FALSE },
  { "GE", "Georgia", "Georgië", NULL, TRUE },
  { "GF", "French Guiana", "Frans-Guyana", NULL, FALSE },
  { "GG", "Guernsey", "Guernsey", NULL, FALSE },
  { "GH", "Ghana", "Ghana", NULL, TRUE },
  { "GI", "Gibraltar", "Gibraltar", NULL, FALSE },
  { "GL", "Greenland", "Groenland", NULL, FALSE },
  { "GM", "Gambia", "Gambia", NULL, TRUE },
  { "GN", "Guinea", "Guinee", NULL, TRUE },
  { "GP", "Guadeloupe", "Guadeloupe", NULL, FALSE },
  { "GQ", "Equatorial Guinea", "Equatoriaal-Guinea", NULL, FALSE },
  { "GR", "Greece", "Griekenland", NULL, FALSE },
  { "GS", "South Georgia and the South Sandwich Islands", "Zuid-Georgia en de Zuidelijke Sandwicheilanden", NULL, FALSE },
  { "GT", "Guatemala", "Guatemala", NULL, FALSE },
  { "GU", "Guam", "Guam", NULL, FALSE },
  { "GW", "Guinea-Bissau", "Guinee-Bissau", NULL, FALSE },
  { "GY", "Guyana", "Guyana", NULL, FALSE },
  { "HK", "Hong Kong", "Hongkong", NULL, FALSE },
  { "HM", "Heard Island and McDonald Islands", "Heard en McDonaldeilanden", NULL, FALSE },
  { "HN", "Honduras", "Honduras", NULL, FALSE },
  { "HR", "Croatia", "Kroatië", NULL, FALSE },
  { "HT", "Haiti", "Haïti", NULL, FALSE },
  { "HU", "Hungary", "Hongarije", NULL, FALSE },
  { "ID", "Indonesia", "Indonesië", NULL, FALSE },
  { "IE", "Ireland", "Ierland", NULL, FALSE },
  { "IL", "Israel", "Israël", NULL, FALSE },
  { "IM", "Isle of Man", "Eiland Man", NULL, FALSE },
  { "IN", "India", "India", NULL, TRUE },
  { "IO", "British Indian Ocean Territory", "Brits Indische Oceaanterritorium", NULL, FALSE },
  { "IQ", "Iraq", "Irak", NULL, TRUE },
  { "IR", "Iran", "Iran", "Perzië; Persia", TRUE },
  { "IS", "Iceland", "IJsland", NULL, FALSE },
  { "IT", "Italy", "Italië", NULL, FALSE },
  { "JE", "Jersey", "Jersey", NULL, FALSE },
  { "JM", "Jamaica", "Jamaica", NULL, FALSE },
  { "JO", "Jordan", "Jordanië", NULL, FALSE },
  { "JP", "Japan", "Japan", NULL, FALSE },
  { "KE", "Kenya", "Kenia", NULL, TRUE },
  { "KG", "Kyrgyzstan", "Kirgizië", NULL, TRUE },
  { "KH", "Cambodia", "Cambodja", NULL, FALSE },
  { "KI", "Kiribati", "Kiribati", NULL, FALSE },
  { "KM", "Comoros", "Comoren", NULL, FALSE },
  { "KN", "Saint Kitts and Nevis", "Saint Kitts en Nevis", NULL, FALSE },
  { "KP", "North Korea", "Noord-Korea", NULL, FALSE },
  { "KR", "South Korea", "Zuid-Korea", "Korea", FALSE },
  { "KW", "Kuwait", "Koeweit", NULL, FALSE },
  { "KY", "Cayman Islands", "Kaaimaneilanden", NULL, FALSE },
  { "KZ", "Kazakhstan", "Kazachstan", NULL, FALSE },
  { "LA", "Laos", "Laos", "Lao", FALSE },
  { "LB", "Lebanon", "Libanon", NULL, TRUE },
  { "LC", "Saint Lucia", "Saint Lucia", NULL, FALSE },
  { "LI", "Liechtenstein", "Liechtenstein", NULL, FALSE },
  { "LK", "Sri Lanka", "Sri Lanka", NULL, TRUE },
  { "LR", "Liberia", "Liberia", NULL, FALSE },
  { "LS", "Lesotho", "Lesotho", NULL, FALSE },
  { "LT", "Lithuania", "Litouwen", NULL, FALSE },
  { "LU", "Luxembourg", "Luxemburg", NULL, FALSE },
  { "LV", "Latvia", "Letland", NULL, FALSE },
  { "LY", "Libya", "Libië", NULL, FALSE },
  { "MA", "Morocco", "Marokko", NULL, TRUE },
  { "MC", "Monaco", "Monaco", NULL, FALSE },
  { "MD", "Moldova", "Moldavië", NULL, FALSE },
  { "ME", "Montenegro", "Montenegro", NULL, FALSE },
  { "MF", "Saint Martin (French part)", "Sint-Maarten (Frans deel)", NULL, FALSE },
  { "MG", "Madagascar", "Madagaskar", NULL, FALSE },
  { "MH", "Marshall Islands", "Marshalleilanden", NULL, FALSE },
  { "MK", "North Macedonia", "Noord-Macedonië", "Macedonia; Macedonië", TRUE },
  { "ML", "Mali", "Mali", NULL, TRUE },
  { "MM", "Myanmar", "Myanmar", "Burma", FALSE },
  { "MN", "Mongolia", "Mongolië", NULL, TRUE },
  { "MO", "Macau", "Macau", NULL, FALSE },
  { "MP", "Northern Mariana Islands", "Noordelijke Marianen", NULL, FALSE },
  { "MQ", "Martinique", "Martinique", NULL, FALSE },
  { "MR", "Mauritania", "Mauritanië", NULL, FALSE },
  { "MS", "Montserrat", "Montserrat", NULL, FALSE },
  { "MT", "Malta", "Malta", NULL, FALSE },
  { "MU", "Mauritius", "Mauritius", NULL, FALSE },
  { "MV", "Maldives", "Maldiven", NULL, FALSE },
  { "MW", "Malawi", "Malawi", NULL, FALSE },
  { "MX", "Mexico", "Mexico", NULL, FALSE },
  { "MY", "Malaysia", "Maleisië", NULL, FALSE },
  { "MZ", "Mozambique", "Mozambique", NULL, FALSE },
  { "NA", "Namibia", "Namibië", NULL, FALSE },
  { "NC", "New Caledonia", "Nieuw-Caledonië", NULL, FALSE },
  { "NE", "Niger", "Niger", NULL, FALSE },
  { "NF", "Norfolk Island", "Norfolk", NULL, FALSE },
  { "NG", "Nigeria", "Nigeria", NULL, TRUE },
  { "NI", "Nicaragua", "Nicaragua", NULL, FALSE },
  { "NL", "Netherlands", "Nederland", "Holland", FALSE },
  { "NO", "Norway", "Noorwegen", NULL, FALSE },
  { "NP", "Nepal", "Nepal", NULL, TRUE },
  { "NR", "Nauru", "Nauru", NULL, FALSE },
  { "NU", "Niue", "Niue", NULL, FALSE },
  { "NZ", "New Zealand", "Nieuw-Zeeland", NULL, FALSE },
  { "OM", "Oman", "Oman", NULL, FALSE },
  { "PA", "Panama", "Panama", NULL, FALSE },
  { "PE", "Peru", "Peru", NULL, FALSE },
  { "PF", "French Polynesia", "Frans-Polynesië", NULL, FALSE },
  { "PG", "Papua New Guinea", "Papoea-Nieuw-Guinea", NULL, FALSE },
  { "PH", "Philippines", "Filipijnen", NULL, FALSE },
  { "PK", "Pakistan", "Pakistan", NULL, TRUE },
  { "PL", "Poland", "Polen", NULL, FALSE },
  { "PM", "Saint Pierre and Miquelon", "Saint-Pierre en Miquelon", NULL, FALSE },
  { "PN", "Pitcairn Islands", "Pitcairneilanden", NULL, FALSE },
  { "PR", "Puerto Rico", "Puerto Rico", NULL, FALSE },
  { "PS", "Palestine", "Palestina", "Palestinian Territories", FALSE },
  { "PT", "Portugal", "Portugal", NULL, FALSE },
  { "PW", "Palau", "Palau", NULL, FALSE },
  { "PY", "Paraguay", "Paraguay", NULL, FALSE },
  { "QA", "Qatar", "Qatar", NULL, FALSE },
  { "RE", "Réunion", "Réunion", NULL, FALSE },
  { "RO", "Romania", "Roemenië", NULL, FALSE },
  { "RS", "Serbia", "Servië", NULL, TRUE },
  { "RU", "Russia", "Rusland", "Russian Federation; Russische Federatie", TRUE },
  { "RW", "Rwanda", "Rwanda", NULL, FALSE },
  { "SA", "Saudi Arabia", "Saoedi-Arabië", NULL, FALSE },
  { "SB", "Solomon Islands", "Salomonseilanden", NULL, FALSE },
  { "SC", "Seychelles", "Seychellen", NULL, FALSE },
  { "SD", "Sudan", "Soedan", NULL, TRUE },
  { "SE", "Sweden", "Zweden", NULL, FALSE },
  { "SG", "Singapore", "Singapore", NULL, FALSE },
  { "SH", "Saint Helena", "Sint-Helena", NULL, FALSE },
  { "SI", "Slovenia", "Slovenië", NULL, FALSE },
  { "SJ", "Svalbard and Jan Mayen", "Spitsbergen en Jan Mayen", NULL, FALSE },
  { "SK", "Slovakia", "Slowakije", NULL, FALSE },
  { "SL", "Sierra Leone", "Sierra Leone", NULL, TRUE },
  { "SM", "San Marino", "San Marino", NULL, FALSE },
  { "SN", "Senegal", "Senegal", NULL, TRUE },
  { "SO", "Somalia", "Somalië", "Somaliland", TRUE },
  { "SR", "Suriname", "Suriname", NULL, FALSE },
  { "SS", "South Sudan", "Zuid-Soedan", NULL, FALSE },
  { "ST", "Sao Tome and Principe", "Sao Tomé en Principe", NULL, FALSE },
  { "SV", "El Salvador", "El Salvador", NULL, FALSE },
  { "SX", "Sint Maarten", "Sint Maarten", NULL, FALSE },
  { "SY", "Syria", "Syrië", "Syrian Arab Republic", FALSE },
  { "SZ", "Eswatini", "Eswatini", "Swaziland", FALSE },
  { "TC", "Turks and Caicos Islands", "Turks- en Caicoseilanden", NULL, FALSE },
  { "TD", "Chad", "Tsjaad", NULL, FALSE },
  { "TF", "French Southern Territories", "Franse Zuidelijke Gebieden", NULL, FALSE },
  { "TG", "Togo", "Togo", NULL, TRUE },
  { "TH", "Thailand", "Thailand", NULL, FALSE },
  { "TJ", "Tajikistan", "Tadzjikistan", NULL, FALSE },
  { "TK", "Tokelau", "Tokelau", NULL, FALSE },
  { "TL", "East Timor", "Oost-Timor", "Timor-Leste", FALSE },
  { "TM", "Turkmenistan", "Turkmenistan", NULL, FALSE },
  { "TN", "Tunisia", "Tunesië", NULL, TRUE },
  { "TO", "Tonga", "Tonga", NULL, FALSE },
  { "TR", "Türkiye", "Turkije", "Turkey", FALSE },
  { "TT", "Trinidad and Tobago", "Trinidad en Tobago", NULL, FALSE },
  { "TV", "Tuvalu", "Tuvalu", NULL, FALSE },
  { "TW", "Taiwan", "Taiwan", NULL, FALSE },
  { "TZ", "Tanzania", "Tanzania", NULL, FALSE },
  { "UA", "Ukraine", "Oekraïne", NULL, TRUE },
  { "UG", "Uganda", "Oeganda", NULL, FALSE },
  { "UM", "United States Minor Outlying Islands", "Kleine afgelegen eilanden van de Verenigde Staten", NULL, FALSE },
  { "US", "United States", "Verenigde Staten", "America; Amerika", FALSE },
  { "UY", "Uruguay", "Uruguay", NULL, FALSE },
  { "UZ", "Uzbekistan", "Oezbekistan", NULL, FALSE },
  { "VA", "Vatican City", "Vaticaanstad", NULL, FALSE },
  { "VC", "Saint Vincent and the Grenadines", "Saint Vincent en de Grenadines", NULL, FALSE },
  { "VE", "Venezuela", "Venezuela", NULL, FALSE },
  { "VG", "British Virgin Islands", "Britse Maagdeneilanden", NULL, FALSE },
  { "VI", "US Virgin Islands", "Amerikaanse Maagdeneilanden", NULL, FALSE },
  { "VN", "Vietnam", "Vietnam", "Viet Nam", FALSE },
  { "VU", "Vanuatu", "Vanuatu", NULL, FALSE },
  { "WF", "Wallis and Futuna", "Wallis en Futuna", NULL, FALSE },
  { "WS", "Samoa", "Samoa", NULL, FALSE },
  { "XK", "Kosovo", "Kosovo", NULL, TRUE },
  { "YE", "Yemen", "Jemen", NULL, FALSE },
  { "YT", "Mayotte", "Mayotte", NULL, FALSE },
  { "ZA", "South Africa", "Zuid-Afrika", NULL, FALSE },
  { "ZM", "Zambia", "Zambia", NULL, FALSE },
  { "ZW", "Zimbabwe", "Zimbabwe", NULL, FALSE },
};

static int
compare_code (const void *key,
              const void *element)
{
  return strcmp (key, ((const Country *) element)->code);
}

static const Country *
find_code (const char *code)
{
  if (code == NULL || strlen (code) != 2)
    return NULL;
  return bsearch (code, countries, G_N_ELEMENTS (countries), sizeof countries[0], compare_code);
}

gboolean
koers_country_is_valid (const char *code)
{
  return find_code (code) != NULL;
}

static gboolean
is_dutch (const char *language)
{
  return language != NULL && g_ascii_strncasecmp (language, "nl", 2) == 0;
}

static const char *
name_in (const Country *country,
         const char    *language)
{
  return is_dutch (language) ? country->name_nl : country->name_en;
}

const char *
koers_country_name (const char *code,
                    const char *language)
{
  const Country *country = find_code (code);

  return country != NULL ? name_in (country, language) : NULL;
}

gboolean
koers_country_is_erso (const char *code)
{
  const Country *country = find_code (code);

  return country != NULL && country->erso;
}

/* Lower case, no accents, punctuation as single spaces: "Côte d'Ivoire"
 * and "cote d ivoire" meet. */
static char *
fold_name (const char *text)
{
  g_autofree char *decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  g_autofree char *lower = NULL;
  GString *out = g_string_new (NULL);

  if (decomposed == NULL)
    return g_string_free (out, FALSE);
  lower = g_utf8_casefold (decomposed, -1);
  for (const char *p = lower; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        continue;
      if (g_unichar_isalnum (c))
        g_string_append_unichar (out, c);
      else if (out->len > 0 && out->str[out->len - 1] != ' ')
        g_string_append_c (out, ' ');
    }
  if (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

typedef struct
{
  const Country *country;
  int            score;     /* 0 whole name, 1 start of a name, 2 start of a word */
  char          *sort_key;
} Match;

static void
match_clear (Match *match)
{
  g_free (match->sort_key);
}

static int
compare_matches (gconstpointer a,
                 gconstpointer b)
{
  const Match *ma = a, *mb = b;

  if (ma->score != mb->score)
    return ma->score - mb->score;
  return strcmp (ma->sort_key, mb->sort_key);
}

/* How well @name matches the folded @typed (-1: not at all). */
static int
score_name (const char *name,
            const char *typed)
{
  g_autofree char *folded = fold_name (name);
  gsize len = strlen (typed);

  if (g_str_equal (folded, typed))
    return 0;
  if (strncmp (folded, typed, len) == 0)
    return 1;
  for (const char *p = strchr (folded, ' '); p != NULL; p = strchr (p + 1, ' '))
    if (strncmp (p + 1, typed, len) == 0)
      return 2;
  return -1;
}

static int
score_country (const Country *country,
               const char    *typed)
{
  g_auto (GStrv) others = g_strsplit (country->other_names ? country->other_names : "", ";", -1);
  int best = -1;
  const char *names[] = { country->name_en, country->name_nl };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      int score = score_name (names[i], typed);
      if (score >= 0 && (best < 0 || score < best))
        best = score;
    }
  for (guint i = 0; others[i] != NULL; i++)
    {
      int score = score_name (others[i], typed);
      if (score >= 0 && (best < 0 || score < best))
        best = score;
    }
  return best;
}

/* The codes of @matches, sorted, at most @limit (0: all). */
static char **
sorted_codes (GArray *matches,
              guint   limit)
{
  GPtrArray *codes = g_ptr_array_new ();

  g_array_sort (matches, compare_matches);
  for (guint i = 0; i < matches->len && (limit == 0 || i < limit); i++)
    g_ptr_array_add (codes, g_strdup (g_array_index (matches, Match, i).country->code));
  g_ptr_array_add (codes, NULL);
  return (char **) g_ptr_array_free (codes, FALSE);
}

static void
add_match (GArray        *matches,
           const Country *country,
           int            score,
           const char    *language)
{
  Match match = { country, score, fold_name (name_in (country, language)) };

  g_array_append_val (matches, match);
}

char **
koers_country_list (const char *language,
                    gboolean    erso_only)
{
  g_autoptr (GArray) matches = g_array_new (FALSE, FALSE, sizeof (Match));

  g_array_set_clear_func (matches, (GDestroyNotify) match_clear);
  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    if (!erso_only || countries[i].erso)
      add_match (matches, &countries[i], 0, language);
  return sorted_codes (matches, 0);
}

char **
koers_country_find (const char *typed,
                    const char *language,
                    guint       limit)
{
  g_autoptr (GArray) matches = g_array_new (FALSE, FALSE, sizeof (Match));
  g_autofree char *folded = NULL;

  g_array_set_clear_func (matches, (GDestroyNotify) match_clear);
  if (typed == NULL || strlen (typed) > 200 || !g_utf8_validate (typed, -1, NULL))
    return g_new0 (char *, 1);
  folded = fold_name (typed);
  if (*folded == '\0')
    return g_new0 (char *, 1);
  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    {
      int score = score_country (&countries[i], folded);
      if (score >= 0)
        add_match (matches, &countries[i], score, language);
    }
  return sorted_codes (matches, limit);
}
