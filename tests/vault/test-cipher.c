/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Known-answer vectors for the page format and the WAL checksum mask, and
 * the properties of the page cipher (docs/vault-format.md, "Test vectors").
 *
 * How the vectors were made: once, by a throw-away program that called
 * koers_cipher_new() with the master key 00 01 .. 1f and the vault id
 * f0 f1 .. ff, filled a 4096-byte page by the rules in fill_page(), called
 * koers_cipher_seal_page() (whose nonce comes from randombytes_buf()) and
 * printed the sealed page, its nonce, its tag and its SHA-256; and called
 * koers_cipher_mask_wal_checksum() on the frame header below. The test
 * does not trust that program alone: it also rebuilds both pages from the
 * stored nonces with libsodium directly, following the format document,
 * and gets the same bytes. */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include "koers-cipher.h"

#include <glib.h>
#include <sodium.h>
#include <string.h>

#define PS      4096
#define USABLE  (PS - KOERS_PAGE_RESERVE)

/* --- the vectors ------------------------------------------------------ */

static const char page1_nonce_hex[] = "3fe459062478b72afb364db5108d0559d066866f7982b3a8";
static const char page1_tag_hex[] = "42931bc254ccf830c0ab7e01debd652f";
static const char page1_sha256[] = "11264b70c0929cf2cffb46334cea3724d27d5a18bf9bcceb2f51fbe03fe22b5f";

static const char page3_nonce_hex[] = "8119e619c50c7a19316cb9332a35c5c88539b62c0ee55d34";
static const char page3_tag_hex[] = "75e3b329f7fd7d7b144fc8757669a48e";
static const char page3_sha256[] = "73c56cca3b9100ade341280d50427796258ff4c7f31dc237ef21e11d56df7d0a";

/* Format 3 (AES-256-GCM pages), made the same way with
 * koers_cipher_new (..., KOERS_FORMAT_AES_GCM). */
static const char page1_aes_nonce_hex[] = "2cbaed36c7ed3bf2ed9177130dde85acda41b03112ff66f1";
static const char page1_aes_tag_hex[] = "87053bd990e66c05a259124157b19cd6";
static const char page1_aes_sha256[] = "d8a7c61c969a42577d22f3603888a30113531916f05b07a7df7975447c0dd93a";
static const char page3_aes_nonce_hex[] = "1f4380bf67d12f55c02a09156d840f74d245366b206d7bad";
static const char page3_aes_tag_hex[] = "2de698c125fc50521f426deb96d6a512";
static const char page3_aes_sha256[] = "20075478217e14762611b575ad97300168bcd872753977bfc83fcc59830031c5";

/* The whole sealed page 3 of format 2, as koers_cipher_seal_page() wrote it. */
static const char page3_sealed_hex[] =
  "b99ff5113f6436860653009225a54332d2ba737dd5f686bba5f9fc5d6b204e73d36e89509329b9b9b1a1acaeb2cb082a1f2bdd2417da9d5fe51bf9f4a9f5d236"
  "98e704ff6492c53dc57a2d980c89378f3d6440883e8a7f3faf08372f2e65c9ee39d53fe3f7692d1ecdf79d712d90ef113e8a4c1bcbbd78f44d82ee470ce64f89"
  "12efc4825688ce2684f8ed13d1ea9e67abb7cdc8e2940ba76aa700927086c3ab04bdc17c3b2c86a64a5eef6fae553601a7a1d4da5e73238adc40cdb80b8edeaf"
  "7395db5dcad6732aba0dbfd940327591f5c52a3338151a26938890c7e025fefd09e5baf4351a88438db2c62e61baa37c0257c6b9a9a30f7f5cbbdc3c6f4c4305"
  "6cc7723fd1e5d44e5b8613cbe811f883819aa3a862c646181ce33f3c2943f02a1ab49ee7930baf27a0a35d3d662f4e9cb3b7297b18f76d7dd8302a58ba5556b9"
  "3007b13797e368333a2e03bbe6b331edaa7561729efe1a811f5fdf376b2a3d46e3e4d1865e35090c729e363f73a87124ec8e3b19d3754ebc008fddcc5f9c3a5b"
  "b995259c140b5683a10e1558d56e53a01c3a37adc74bf18c4e0ce5fa0671e445330ea134bdd0375d574ea014a221247566d2a551681ba1839209e4601fd8cf08"
  "50494be532754877d3c5f3a1229730f531cb64639963fa3b82088208ef84e9716cf4ded6af8881328ee711a904f950057bab6ee23837f6115bb1783bd09385eb"
  "19128342e8f2abc5cd52f2e9b6099f8d81f24ae40079a4bd38668a64d0426b3c0becb9c21df3ca3714466e6c0a58dccb3bc955355c53507db6f67967378ab136"
  "8314ce33571c3e2e7d9e8c250210cab3a44fb00bb43ed26660d2bcfbd93e809f8f74e6f7489d348e9b6091b28f3db46f4533c115014a60c83af79825a7e06812"
  "e6183b0c437f198e29ee91ee8eb53ad1ceb85c6d46b3c530e11412c8ca4de80ded2f4cff7a936950186fa8731b679a42e7c9d2f835cbe580297a53398532227d"
  "bf60195632bb50f52fb3657279a5cea26b0de109ae38448c1d390a3fa953c789aa2746f91487133bb32086ff5c700ede52cc06052e7b9792934258003cef2437"
  "08306157e2987086b6cb37fda16b5d981c60e8be836a18af1e4d4a16826fd96c7bad3f7f2ee404434f1c448b268e3b00e3122660d1f959fab5f06aed3cfdf470"
  "606ffb536b7b7abe12e74b62822e7a3feda3188fdc4b1b646e4458432eb020a39a767284e00ca792f06e48e151b00612398021923c666d3923465cfc098fe563"
  "7cc830128d3990567c530ded31b54f1f298773daca36c835e3064a0832b2b47ee535497db583daf7a8a83f220b57ac03d83931dba7e485dd929fc00d2949efde"
  "bfdbe02fed3aa0e222b42cd4ba7cc598feff320c0951b9870c92fe79aa3ec7cf979debd621dc453413d0ff27437e970ef2f2e43c5b011a7ebd971c12ea00b8be"
  "f98da59a6c6f4bd99d8338427bb520f5abf60762d5d7916af5cbb841af306dd5ce6632576a9e0b7ae94fe74adb3644d9efc45e94dfdbdeba6b845daf441f5088"
  "2ec7ebbb787eb82dcf0835cf034eaca3bff6309190dcb80c5f0dd337b158412a2d32e0e395ffc10528ce0eddaf2d6e789914623ce028ce8fd8b935d5a47c6f6a"
  "fb70fbc73aec47a7c2b255ec96befb9a1d0ab6b5481485b5bc95b9035d9711ceb79252db66e54fb48ffff7f396f56dc333fa90858922db9a59fbfa3f28d1b920"
  "771ac0e18980e17f1883e7f6d797a0954452fa82b6bf72273483e379bb88aef8bc3f88715eb3dbad2fbb393472ad0d2276d9dc4c5eb53626b82fa74733b077c8"
  "013f14a5323421f6364e564460225214e9ff858f710c934fa361b9fe616cdb7a948139db9ea41c6989599104c87f215b7bd59c4265cb221ef126c3fb4080a58e"
  "33c2217fcfcc51a4528211fec174a18aa1f27ef893b2480d10790a3e4a7693244ddc76f73d22ee867943fe0f6980e96ed86c172b700e3baaf1ad71b41289acec"
  "1b044c4991c1a2d003f355e5f243a5b4b65d12ef5239caceb16b477e002bfb0b3bf7a91cc5e142c31c921eaaa184179917530d1d8b4f44c96cec8592abda68f5"
  "b6d8cd8b5a28b4d940128c1144241116b8971ca31f97cfc0b717730342c161d76b57cc640694a6b3da31c40afe3fcb83e11a07e4df8bf5f3b3a7c9c594735681"
  "5ebd7ba01f0e738508aa2a54790c2dd829266390c3228112e5be69816e85c4dc12bcbfff5ea26557d3b569eb26780536c49406e28da97c2e89f64a47e078e30a"
  "97e6fa46ad74594b3a7d834e3e6c1fb539436a7469622040d12ec89f6c981f583be5e7ee7f50a67fdbd4b06cd2563653c3db1156c60ce576019421688feb6432"
  "f2b4c803cfcb631acdd35c8b3997a9e73243f0fa0f457ddcc6b6829e6cfe7deedc465b1cbe9572ea8425f58e143d7b8f354a0d2cf0fc46759c1ff9723b74e091"
  "e916ac8e33755d52c54b75480ed96636420ebd09ac51358fb72cb24495d774ad78ccee6f86d1e7a4b4565e14fdd117bd01c60d721e66527e2b1c3a22001a8924"
  "b5927e748858fb9e8667005f884eec35734b6896ff1775ecddf18e5486eb68eacdb9a7e9c30ddde0b1a3911c4898de7ba6a46a8a3dca25801c8d7ce7b630592a"
  "5b4244362c9d8f467ee0835ac9511081c9f3c4498cea15210db11cfc95d052e3d7a3199c87e8e4790e86c293bb6c80e55963a123249738f1b401cbe0dc4ea474"
  "728f730af14a92cf88b91482691db4682efd5b35f159cea0c12a57782a86d7104d378ec4b835f34d2244fe833f781938732d647ca307ba9c038295caf92d332a"
  "2d5f7d46cfcf443a2dde5640246d5ebc3ad2a0790e4b538dc61e943c895aae12245237da595f18b2efdecd92802122d96f8f9b76560d66cfba045c941b08de62"
  "198d80369bfeb1d59f4d31a75404f4e9dab04aa031b2c49632b0eefed91d38e597933ad1866cebe84728b1f846ef9cb7a36d7f8bd5ce30d9ac7759bb97dd1f29"
  "d7578c9191f1c6697d9f0069c7641ec223114a5bbc4b7c003c50b320b9943d9529bc0f0b334cdbea865e8ae3ed3c362fcfab855fb1c5f06321bda4266e800a4f"
  "6fa06a094737f9e3092c755c019b64aef1ae7b7fe50d1b1d07be51fae0ce685c673f0e4c9bcd7ade6177736b1a2d5d97fa67327e1ed935e15490ed359d70a9f4"
  "2b22ce9434555936d2bb294ff874de3cafd725239cdadf71d385adfbad292cab8c857d5c7c470a5763943f3dd84073d226737501a37610b755894922d31775ee"
  "6f6b011916856527e5cf909a19f9822ea791970d4e1ade813604fd5ef8405967d8ce1753d1fbc6577d8a138289eaca4714f7fc949f321ffcf61ac3e560adfbaf"
  "365ede11045104536101cc58f8f4d117aeb9e4bc1fe854e17c8d9e050468af310a2ec773eadd3e2fac9c0d2aaf4cd11e476883c046f4b5c6abdf8c01412e9bee"
  "0889ef496326ac32a961c8527978b32b6c0349d74493f96685b25cff7d90d1aee9e9d4e873b19a22bbc9fa4d5ae338a38972772de49d9342d633e5ea9d47e6d5"
  "0c6ae218e1b8e1ac39b6e2f8ac0ef2156cf6e1420e60d245aa7b14ee81252ba4fa2f731b25113c5d6a4993e7350973577a2a3b04325cf3255e0627e818318903"
  "abe615ac6b7665a6b9996a60e83b0bbad0b4e144080e5c83c7b2faca87c4350b616f2da182184a21e3330ea2fa440a3e6f339805a8f26b4710a1717e03691fcb"
  "0468228d9e1d84e1ff09f0f2df8ddf716f30f393be054031a28bcbbec42f0d60653081e41291bc3e9235879bbb78c934b925b40e51bafa7ea955c1291a2ed7f0"
  "fd34d09a8a34724224fdf3fd51cda041642f1fd4a09fc6f587b48b05ac023b2f6f0e49fa6b5d9d3960b8b5ca00a76efc659361c5bc0f4a0313e17f5fc954f34e"
  "cfa6d4b290b862307f9e5c89581f5b595abf356cb9c3db9450ad822b3c221cb625353a23f228278072c0420a23eb447ecf00080850c98ac08f8b0e85fe252d13"
  "7ea35a6830e7b5bbdd86d943fa7f7f571dcceea235e4b1e2318b6f46d64aa3907ee6d47141e935503f0c01f8eac9f4a9af3f6838907ac9ec9c873890dc591764"
  "ffb673a2868943691cd9f581f403ab913445fb24c9baedaaa48b975fd37510bca80adb68ff8af9a64c724f2453ccf12b5bc49853a1480e730620fda5b2242fae"
  "6a995f67458d4af95da6892717cc20bc66bef19336b70435ddab819f643e93eb1210725fc7c7921ff71a8b569ac04de6aea794be4aa311e3bab99b3788fdcbc8"
  "a95989b430ffee355604bb09559ca61e6df8e1bac322c89af89adf8a5b3bae747f5ae744c2cb466c88926aaaad07dce0b0c94251cf23cf0e1c643db8d8a876ba"
  "f62dc1c432e2d5d3c50fd3f8a027bea8daee2eb08f71e2a2ae9d7e638f409c27b11232f270b96c573ad596d38b38ab60cd500162010f3ae4ffc08723fc8466e5"
  "138179f1d3429c04dc0dde4ced15c1dd62b924163f3e9e30761afc0a811f857e74f4ff8196114677850c9b0f75d87fae2cc2815c0cd0c26035b758a7d91342ed"
  "50ee49da615541518c80ab8339162fe55cca2cab1106b4327afbd1e7e0e90cd9f7c5101f3cfc3d1ce6a288ea6653bbc5258e9a213a49c58db2a7267ce4f09a01"
  "2ebcb027567b242820530cf463e8411d74a730d7bd862ff05c160e341325b3f7efeae3cff9a057fd5a055589e2621bae701b8881d7d025564c23f8f85be44240"
  "b76ab251d4cc0a0cd7a497c01096269f0b48c1c3d65c1afe496ce4eba010a7526c923d3c8c25bbfde50cbea3a072f12c879c1efb3de74f4cbcf52cbada3f3615"
  "f6f00d56a26d87b5106fed8381954e71cee6902a0d7ff47581afa510edd74616411e7b9490097f879010734d072e04b6f9237656755fc642cb4444729bb4a6b5"
  "0d89bb5a1fd33852a953af71013e25cd096b5db01bcb9d19171075adf5be7fe82b33bf426e3742fef9f71770cbacd4e8c648de12cd823a01430359f8aa4b7510"
  "0f1d1288c079ff1fbc885d189bd750ce3636f84ba480a8aa60876d49037782930805d4f396af13fa272b6f690c7dfbe37d6226f253c5d28dc45982a9b6f16197"
  "ae4ca6b30dabf38db201ad9066ab8562e90e226b6fe5c3ce1228824ed815f44f7acfcc17503170b6ed28d7b6010a24af714e21e4f150c463d445c43dfd4ebfd7"
  "6448f66182f5686c75960424e680c9d51c85c9517b9519c143523c99b229cf770222f37f949c62427e8591c670aa46e64c4764f359e7a070c483946aca38db31"
  "bdac72a8438bdc90812ed06add503dd4a770fba3a532893a7efc38ec75a2b291867482cf6f239dfe00791e90bcf8b47e98a1a2b7243358c2e67b22ea1510a491"
  "305f67732d60d7dd9484a82c1081227ede5837bcfd8887b5d035faa05ea6eb2095bc7b23e47f994436d5ae4a3dbc5e9264de85f0f65161d533410144c1685541"
  "24645bfb3552e29f454c717eb64bd1fbb1ccd3d9dba3fd4d566c695d792895411869b486384d9814791cc2aea532ea71508ca55149791025f80568b30bfd0961"
  "e4ac905f12d18d05a1294e5772700c4ddcfae349a4bfab940c1e98f8ebba1197a351c19f198cd125eb9e1d25b98fa76a7f84cb1ebba4a6c2a961b6236d3e2307"
  "be9db45fa6b2a6dbf236497a94b99cad6c83b2bf5b0951e4bf7bbadcbbaef24a642ac0948388aea2c262dde6c9d6f410ccbc6beeacf76f98a894e5f2641bedee"
  "c5bf8422b9a9593feb61cf5dce60631352a21efa7cc9dbb38119e619c50c7a19316cb9332a35c5c88539b62c0ee55d3475e3b329f7fd7d7b144fc8757669a48e";

/* WAL frame header at file offset 4152 (the second frame): page 3, commit
 * size 18, salts 01020304 05060708, SQLite's checksum 1122334455667788. */
static const char frame_plain_hex[] = "00000003000000120102030405060708" "1122334455667788";
/* Format 1 (BLAKE2b rounds): unchanged since format 1 was the only one, so
 * vaults made before format 2 read as they were written. */
static const char frame_masked_hex[] = "00000003000000120102030405060708" "638f3bee12d2fd22";
/* Format 2 (SipHash-2-4 rounds). */
static const char frame_masked2_hex[] = "00000003000000120102030405060708" "34ed2e6922ec04ed";
#define FRAME_OFFSET 4152

/* --- helpers ---------------------------------------------------------- */

static void
unhex (const char *hex, guint8 *out, gsize len)
{
  gsize got = 0;

  g_assert_cmpuint (strlen (hex), ==, len * 2);
  g_assert_cmpint (sodium_hex2bin (out, len, hex, len * 2, NULL, &got, NULL), ==, 0);
  g_assert_cmpuint (got, ==, len);
}

static char *
sha256_hex (const guint8 *data, gsize len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
}

static void
test_key (guint8 *master, guint8 *db_id)
{
  for (guint i = 0; i < KOERS_KEY_BYTES; i++)
    master[i] = (guint8) i;
  for (guint i = 0; i < KOERS_DB_ID_BYTES; i++)
    db_id[i] = (guint8) (0xf0 + i);
}

static KoersCipher *
test_cipher_of_format (guint format)
{
  guint8 master[KOERS_KEY_BYTES], db_id[KOERS_DB_ID_BYTES];

  test_key (master, db_id);
  return koers_cipher_new (master, db_id, format);
}

/* The XChaCha20-Poly1305 vectors below were made when format 1 was the
 * only one; formats 1 and 2 seal pages alike. */
static KoersCipher *
test_cipher (void)
{
  return test_cipher_of_format (KOERS_FORMAT_SIPHASH_MASK);
}

static KoersCipher *
cipher_of_data (gconstpointer data)
{
  return test_cipher_of_format (GPOINTER_TO_UINT (data));
}

/* Page 1 starts like a SQLite header (page size 4096, WAL versions 2/2,
 * reserve 40, fractions 64/32/32); every other byte below the reserve is
 * i*13+1 (page 1) or i*31+7 (other pages), mod 256; the reserve is zero. */
static void
fill_page (guint8 *page, guint32 pgno)
{
  static const guint8 header[24] = "SQLite format 3\0\x10\x00\x02\x02\x28\x40\x20\x20";

  for (guint32 i = 0; i < USABLE; i++)
    page[i] = pgno == 1 ? (guint8) (i * 13 + 1) : (guint8) (i * 31 + 7);
  memset (page + USABLE, 0, KOERS_PAGE_RESERVE);
  if (pgno == 1)
    memcpy (page, header, sizeof header);
}

/* Format 3's page AEAD from the document: write key = HChaCha20 (page
 * key, nonce bytes 0..15); AES-256-GCM under it with the 96-bit nonce
 * 00000000 || nonce bytes 16..23. */
static void
aes_gcm_by_the_document (guint8 *msg, gsize msg_len, guint8 *tag, const guint8 *ad, gsize ad_len,
                         const guint8 *nonce, const guint8 *page_key)
{
  guint8 write_key[32], gcm_nonce[12] = { 0 };

  g_assert_cmpint (crypto_core_hchacha20 (write_key, nonce, page_key, NULL), ==, 0);
  memcpy (gcm_nonce + 4, nonce + 16, 8);
  g_assert_cmpint (crypto_aead_aes256gcm_encrypt_detached (msg, tag, NULL, msg, msg_len, ad, ad_len,
                                                           NULL, gcm_nonce, write_key), ==, 0);
}

/* The format, rebuilt from the document with libsodium alone:
 * page key = crypto_kdf_derive_from_key (32, id 1 (formats 1, 2) or 4
 * (format 3), "koerspag", master);
 * AD = "KoersPg1" || vault id || big-endian page number
 *      [|| page bytes 16..23 on page 1];
 * the sealed part is bytes 0..4055, less bytes 16..23 on page 1, which
 * stay in clear; XChaCha20-Poly1305-IETF (formats 1, 2) or format 3's
 * AES-256-GCM, detached; nonce at 4056, tag at 4080. */
static void
seal_by_the_document (guint8 *page, guint32 pgno, const guint8 *nonce, guint format)
{
  guint8 master[KOERS_KEY_BYTES], db_id[KOERS_DB_ID_BYTES], key[KOERS_KEY_BYTES];
  guint8 ad[8 + KOERS_DB_ID_BYTES + 4 + 8];
  guint8 msg[PS];
  gsize ad_len = 0, msg_len = 0;

  test_key (master, db_id);
  g_assert_cmpint (crypto_kdf_derive_from_key (key, sizeof key, format == KOERS_FORMAT_AES_GCM ? 4 : 1,
                                               "koerspag", master), ==, 0);
  memcpy (ad, "KoersPg1", 8);
  memcpy (ad + 8, db_id, sizeof db_id);
  ad[24] = pgno >> 24, ad[25] = pgno >> 16, ad[26] = pgno >> 8, ad[27] = pgno;
  ad_len = 28;
  if (pgno == 1)
    {
      memcpy (ad + ad_len, page + 16, 8);
      ad_len += 8;
      memcpy (msg, page, 16);
      memcpy (msg + 16, page + 24, USABLE - 24);
      msg_len = USABLE - 8;
    }
  else
    {
      memcpy (msg, page, USABLE);
      msg_len = USABLE;
    }
  if (format == KOERS_FORMAT_AES_GCM)
    aes_gcm_by_the_document (msg, msg_len, page + USABLE + KOERS_NONCE_BYTES, ad, ad_len, nonce, key);
  else
    crypto_aead_xchacha20poly1305_ietf_encrypt_detached (msg, page + USABLE + KOERS_NONCE_BYTES, NULL,
                                                         msg, msg_len, ad, ad_len, NULL, nonce, key);
  if (pgno == 1)
    {
      memcpy (page, msg, 16);
      memcpy (page + 24, msg + 16, USABLE - 24);
    }
  else
    memcpy (page, msg, USABLE);
  memcpy (page + USABLE, nonce, KOERS_NONCE_BYTES);
}

/* --- known answers ---------------------------------------------------- */

static void
check_page_vector (guint format, guint32 pgno, const char *nonce_hex, const char *tag_hex, const char *sha)
{
  g_autoptr(KoersCipher) cipher = test_cipher_of_format (format);
  guint8 plain[PS], page[PS], nonce[KOERS_NONCE_BYTES], tag[KOERS_TAG_BYTES];
  g_autofree char *digest = NULL;

  unhex (nonce_hex, nonce, sizeof nonce);
  unhex (tag_hex, tag, sizeof tag);
  fill_page (plain, pgno);
  memcpy (page, plain, PS);
  seal_by_the_document (page, pgno, nonce, format);
  g_assert_cmpmem (page + USABLE + KOERS_NONCE_BYTES, KOERS_TAG_BYTES, tag, sizeof tag);
  digest = sha256_hex (page, PS);
  g_assert_cmpstr (digest, ==, sha);
  if (pgno == 1)
    g_assert_cmpmem (page + 16, 8, plain + 16, 8);  /* in clear */
  g_assert_true (koers_cipher_open_page (cipher, page, PS, pgno));
  g_assert_cmpmem (page, USABLE, plain, USABLE);
}

static void
test_vector_page1 (void)
{
  check_page_vector (KOERS_FORMAT_SIPHASH_MASK, 1, page1_nonce_hex, page1_tag_hex, page1_sha256);
}

static void
test_vector_page3 (void)
{
  check_page_vector (KOERS_FORMAT_SIPHASH_MASK, 3, page3_nonce_hex, page3_tag_hex, page3_sha256);
}

static void
test_vector_page1_aes (void)
{
  check_page_vector (KOERS_FORMAT_AES_GCM, 1, page1_aes_nonce_hex, page1_aes_tag_hex, page1_aes_sha256);
}

static void
test_vector_page3_aes (void)
{
  check_page_vector (KOERS_FORMAT_AES_GCM, 3, page3_aes_nonce_hex, page3_aes_tag_hex, page3_aes_sha256);
}

/* The stored page, as the implementation sealed it, opens to the rule. */
static void
test_vector_page3_stored (void)
{
  g_autoptr(KoersCipher) cipher = test_cipher ();
  guint8 page[PS], plain[PS];
  g_autofree char *digest = NULL;

  unhex (page3_sealed_hex, page, PS);
  digest = sha256_hex (page, PS);
  g_assert_cmpstr (digest, ==, page3_sha256);
  fill_page (plain, 3);
  g_assert_true (koers_cipher_open_page (cipher, page, PS, 3));
  g_assert_cmpmem (page, USABLE, plain, USABLE);
}

/* The mask, rebuilt from the document: tweak = little-endian 64-bit frame
 * offset || the frame's salts (header bytes 8..15); L, R = bytes 16..19,
 * 20..23 as little-endian 32-bit numbers; 4 rounds of (L, R) <- (R, L xor
 * F(round, R)) with F = the first 4 bytes, little-endian, of a PRF over
 * tweak || round byte || little-endian R:
 *  - format 1: BLAKE2b-128 keyed with crypto_kdf_derive_from_key (32 bytes,
 *    id 2, "koerswal", master);
 *  - format 2: SipHash-2-4 keyed with crypto_kdf_derive_from_key (16 bytes,
 *    id 3, "koerswal", master). */
static void
mask_by_the_document (guint8 *hdr, gint64 offset, guint format)
{
  guint8 master[KOERS_KEY_BYTES], db_id[KOERS_DB_ID_BYTES], key[KOERS_KEY_BYTES];
  gsize key_len = format == 1 ? 32 : 16;
  guint8 msg[21], out[16];
  guint32 l, r;

  test_key (master, db_id);
  g_assert_cmpint (crypto_kdf_derive_from_key (key, key_len, format == 1 ? 2 : 3, "koerswal", master), ==, 0);
  for (int i = 0; i < 8; i++)
    msg[i] = (guint8) ((guint64) offset >> (8 * i));
  memcpy (msg + 8, hdr + 8, 8);
  l = hdr[16] | hdr[17] << 8 | hdr[18] << 16 | (guint32) hdr[19] << 24;
  r = hdr[20] | hdr[21] << 8 | hdr[22] << 16 | (guint32) hdr[23] << 24;
  for (guint8 round = 0; round < 4; round++)
    {
      guint32 f, t;

      msg[16] = round;
      msg[17] = r, msg[18] = r >> 8, msg[19] = r >> 16, msg[20] = r >> 24;
      if (format == 1)
        crypto_generichash (out, sizeof out, msg, sizeof msg, key, key_len);
      else
        crypto_shorthash_siphash24 (out, msg, sizeof msg, key);
      f = out[0] | out[1] << 8 | out[2] << 16 | (guint32) out[3] << 24;
      t = l ^ f;
      l = r;
      r = t;
    }
  for (int i = 0; i < 4; i++)
    {
      hdr[16 + i] = (guint8) (l >> (8 * i));
      hdr[20 + i] = (guint8) (r >> (8 * i));
    }
}

static void
check_wal_mask_vector (guint format, const char *masked_hex)
{
  g_autoptr(KoersCipher) cipher = test_cipher_of_format (format);
  guint8 plain[24], masked[24], hdr[24];

  g_assert_cmpuint (koers_cipher_get_format (cipher), ==, format);
  unhex (frame_plain_hex, plain, sizeof plain);
  unhex (masked_hex, masked, sizeof masked);
  memcpy (hdr, plain, sizeof hdr);
  koers_cipher_mask_wal_checksum (cipher, hdr, FRAME_OFFSET);
  g_assert_cmpmem (hdr, sizeof hdr, masked, sizeof masked);
  koers_cipher_unmask_wal_checksum (cipher, hdr, FRAME_OFFSET);
  g_assert_cmpmem (hdr, sizeof hdr, plain, sizeof plain);
  memcpy (hdr, plain, sizeof hdr);
  mask_by_the_document (hdr, FRAME_OFFSET, format);
  g_assert_cmpmem (hdr, sizeof hdr, masked, sizeof masked);
}

static void
test_vector_wal_mask (void)
{
  check_wal_mask_vector (KOERS_FORMAT_BLAKE2B_MASK, frame_masked_hex);
}

static void
test_vector_wal_mask_siphash (void)
{
  check_wal_mask_vector (KOERS_FORMAT_SIPHASH_MASK, frame_masked2_hex);
}

/* The two formats' masks of the same header differ: a vault's frames can
 * only be read with its own format's mask. */
static void
test_mask_formats_differ (void)
{
  g_autoptr(KoersCipher) old = test_cipher_of_format (KOERS_FORMAT_BLAKE2B_MASK);
  g_autoptr(KoersCipher) cur = test_cipher_of_format (KOERS_FORMAT_SIPHASH_MASK);
  guint8 plain[24], a[24], b[24];

  unhex (frame_plain_hex, plain, sizeof plain);
  memcpy (a, plain, sizeof a);
  memcpy (b, plain, sizeof b);
  koers_cipher_mask_wal_checksum (old, a, FRAME_OFFSET);
  koers_cipher_mask_wal_checksum (cur, b, FRAME_OFFSET);
  g_assert_false (memcmp (a + 16, b + 16, 8) == 0);
  koers_cipher_unmask_wal_checksum (cur, a, FRAME_OFFSET);
  g_assert_false (memcmp (a, plain, sizeof plain) == 0);
}

/* --- properties ------------------------------------------------------- */

/* A fresh nonce on every seal: the same page sealed twice differs
 * everywhere that is sealed, and both open. */
static void
test_seal_is_random (gconstpointer data)
{
  g_autoptr(KoersCipher) cipher = cipher_of_data (data);
  guint8 plain[PS], a[PS], b[PS];
  guint same = 0;

  for (guint32 pgno = 1; pgno <= 2; pgno++)
    {
      fill_page (plain, pgno);
      memcpy (a, plain, PS);
      memcpy (b, plain, PS);
      koers_cipher_seal_page (cipher, a, PS, pgno);
      koers_cipher_seal_page (cipher, b, PS, pgno);
      g_assert_false (memcmp (a + USABLE, b + USABLE, KOERS_NONCE_BYTES) == 0);
      same = 0;
      for (guint i = 0; i < USABLE; i++)
        same += a[i] == b[i];
      /* About 1/256 of the bytes agree by chance; page 1's 8 clear ones
       * always do. */
      g_assert_cmpuint (same, <, 64);
      g_assert_true (koers_cipher_open_page (cipher, a, PS, pgno));
      g_assert_true (koers_cipher_open_page (cipher, b, PS, pgno));
      g_assert_cmpmem (a, USABLE, plain, USABLE);
      g_assert_cmpmem (b, USABLE, plain, USABLE);
    }
}

/* Sealing out of place (the VFS seals SQLite's buffer straight into its
 * own) leaves the plaintext as it was and gives a page that opens, page
 * 1's clear bytes included. */
static void
test_seal_out_of_place (gconstpointer data)
{
  g_autoptr(KoersCipher) cipher = cipher_of_data (data);
  guint8 plain[PS], copy[PS], sealed[PS];

  for (guint32 pgno = 1; pgno <= 3; pgno += 2)
    {
      fill_page (plain, pgno);
      memcpy (copy, plain, PS);
      memset (sealed, 0xa5, PS);
      koers_cipher_seal_page_from (cipher, plain, sealed, PS, pgno);
      g_assert_cmpmem (plain, PS, copy, PS);
      g_assert_false (memcmp (sealed, plain, 64) == 0);
      g_assert_true (koers_cipher_open_page (cipher, sealed, PS, pgno));
      g_assert_cmpmem (sealed, USABLE, plain, USABLE);
    }
}

/* Any one byte changed, anywhere in the page, and it does not open; no
 * plaintext comes out: the payload is left as it was (page 1, opened
 * through a scratch copy) or zeroed (other pages: libsodium clears its
 * output when the tag is wrong, and the page is opened in place). */
static void
test_every_byte_flip (gconstpointer data)
{
  g_autoptr(KoersCipher) cipher = cipher_of_data (data);
  guint8 sealed[PS], page[PS], zeros[PS] = { 0 };

  for (guint32 pgno = 1; pgno <= 3; pgno += 2)
    {
      fill_page (sealed, pgno);
      koers_cipher_seal_page (cipher, sealed, PS, pgno);
      for (guint i = 0; i < PS; i++)
        {
          memcpy (page, sealed, PS);
          page[i] ^= 0x80;
          if (koers_cipher_open_page (cipher, page, PS, pgno))
            g_error ("page %u opened with byte %u flipped", pgno, i);
          if (pgno == 1)
            {
              page[i] ^= 0x80;
              g_assert_cmpmem (page, USABLE, sealed, USABLE);
            }
          else
            g_assert_cmpmem (page, USABLE, zeros, USABLE);
        }
    }
}

/* The page number, the vault id and the key are all bound. */
static void
test_binding (gconstpointer data)
{
  g_autoptr(KoersCipher) cipher = cipher_of_data (data);
  g_autoptr(KoersCipher) other_id = NULL;
  g_autoptr(KoersCipher) other_key = NULL;
  guint8 master[KOERS_KEY_BYTES], db_id[KOERS_DB_ID_BYTES];
  guint8 sealed[PS], page[PS];

  test_key (master, db_id);
  db_id[0] ^= 1;
  other_id = koers_cipher_new (master, db_id, GPOINTER_TO_UINT (data));
  db_id[0] ^= 1;
  master[31] ^= 1;
  other_key = koers_cipher_new (master, db_id, GPOINTER_TO_UINT (data));
  g_assert_cmpmem (koers_cipher_get_db_id (cipher), KOERS_DB_ID_BYTES, db_id, KOERS_DB_ID_BYTES);

  fill_page (sealed, 5);
  koers_cipher_seal_page (cipher, sealed, PS, 5);
#define TRY(c, pgno) (memcpy (page, sealed, PS), koers_cipher_open_page ((c), page, PS, (pgno)))
  g_assert_false (TRY (cipher, 4));
  g_assert_false (TRY (cipher, 6));
  g_assert_false (TRY (cipher, 1));
  g_assert_false (TRY (cipher, 5 + 0x1000000));
  g_assert_false (TRY (other_id, 5));
  g_assert_false (TRY (other_key, 5));
  g_assert_true (TRY (cipher, 5));
#undef TRY
}

/* Page 1's clear bytes stay readable (SQLite and the VFS learn the page
 * size from them) and the rest of its header does not. */
static void
test_page1_clear_bytes (gconstpointer data)
{
  g_autoptr(KoersCipher) cipher = cipher_of_data (data);
  guint8 plain[PS], page[PS];

  fill_page (plain, 1);
  memcpy (page, plain, PS);
  koers_cipher_seal_page (cipher, page, PS, 1);
  g_assert_cmpmem (page + KOERS_CLEAR_HDR_START, KOERS_CLEAR_HDR_END - KOERS_CLEAR_HDR_START,
                   plain + KOERS_CLEAR_HDR_START, KOERS_CLEAR_HDR_END - KOERS_CLEAR_HDR_START);
  g_assert_false (memcmp (page, "SQLite format 3", 15) == 0);
  g_assert_false (memcmp (page + 24, plain + 24, 76) == 0);
}

/* Other page sizes SQLite allows work the same way. */
static void
test_other_page_sizes (gconstpointer data)
{
  g_autoptr(KoersCipher) cipher = cipher_of_data (data);

  for (guint32 size = 1024; size <= 65536; size *= 2)
    {
      g_autofree guint8 *plain = g_malloc (size);
      g_autofree guint8 *page = g_malloc (size);

      randombytes_buf (plain, size);
      plain[16] = size == 65536 ? 0 : size >> 8;
      plain[17] = size == 65536 ? 1 : 0;
      for (guint32 pgno = 1; pgno <= 2; pgno++)
        {
          memcpy (page, plain, size);
          koers_cipher_seal_page (cipher, page, size, pgno);
          g_assert_true (koers_cipher_open_page (cipher, page, size, pgno));
          g_assert_cmpmem (page, size - KOERS_PAGE_RESERVE, plain, size - KOERS_PAGE_RESERVE);
        }
    }
}

/* Mask and unmask are inverse, touch only bytes 16..23, and depend on the
 * offset and the salts (so equal checksums at two places do not show). */
static void
test_mask_round_trips (gconstpointer data)
{
  g_autoptr(KoersCipher) cipher = test_cipher_of_format (GPOINTER_TO_UINT (data));

  for (guint n = 0; n < 2000; n++)
    {
      guint8 hdr[24], orig[24], other[24];
      gint64 offset = 32 + (gint64) g_random_int_range (0, 100000) * (24 + PS);

      randombytes_buf (hdr, sizeof hdr);
      memcpy (orig, hdr, sizeof hdr);
      koers_cipher_mask_wal_checksum (cipher, hdr, offset);
      g_assert_cmpmem (hdr, 16, orig, 16);
      g_assert_false (memcmp (hdr + 16, orig + 16, 8) == 0);
      memcpy (other, orig, sizeof other);
      koers_cipher_mask_wal_checksum (cipher, other, offset + 24 + PS);
      g_assert_false (memcmp (hdr + 16, other + 16, 8) == 0);
      memcpy (other, orig, sizeof other);
      other[8] ^= 1;
      koers_cipher_mask_wal_checksum (cipher, other, offset);
      g_assert_false (memcmp (hdr + 16, other + 16, 8) == 0);
      koers_cipher_unmask_wal_checksum (cipher, hdr, offset);
      g_assert_cmpmem (hdr, sizeof hdr, orig, sizeof orig);
      /* And the other way round. */
      koers_cipher_unmask_wal_checksum (cipher, hdr, offset);
      koers_cipher_mask_wal_checksum (cipher, hdr, offset);
      g_assert_cmpmem (hdr, sizeof hdr, orig, sizeof orig);
    }
}

/* A page sealed by one page AEAD does not open with the other, under the
 * same master key and vault id: a vault is read only in its own format. */
static void
test_aeads_differ (void)
{
  g_autoptr(KoersCipher) chacha = test_cipher_of_format (KOERS_FORMAT_SIPHASH_MASK);
  g_autoptr(KoersCipher) aes = test_cipher_of_format (KOERS_FORMAT_AES_GCM);
  guint8 page[PS], copy[PS];

  fill_page (page, 3);
  koers_cipher_seal_page (aes, page, PS, 3);
  memcpy (copy, page, PS);
  g_assert_false (koers_cipher_verify_page (chacha, page, PS, 3));
  g_assert_false (koers_cipher_open_page (chacha, copy, PS, 3));
  g_assert_true (koers_cipher_open_page (aes, page, PS, 3));
  koers_cipher_seal_page (chacha, page, PS, 3);
  g_assert_false (koers_cipher_verify_page (aes, page, PS, 3));
  g_assert_true (koers_cipher_verify_page (chacha, page, PS, 3));
}

int
main (int argc, char **argv)
{
  static const struct { const char *name; GTestDataFunc func; } per_aead[] = {
    { "seal-is-random", test_seal_is_random },
    { "seal-out-of-place", test_seal_out_of_place },
    { "every-byte-flip", test_every_byte_flip },
    { "binding", test_binding },
    { "page1-clear-bytes", test_page1_clear_bytes },
    { "other-page-sizes", test_other_page_sizes },
  };

  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);
  g_test_add_func ("/vault/cipher/vector/page1", test_vector_page1);
  g_test_add_func ("/vault/cipher/vector/page3", test_vector_page3);
  g_test_add_func ("/vault/cipher/vector/page3-stored", test_vector_page3_stored);
  g_test_add_func ("/vault/cipher/vector/wal-mask", test_vector_wal_mask);
  /* Each page AEAD: XChaCha20-Poly1305 (format 2) and, where the processor
   * has AES-NI, AES-256-GCM (format 3). */
  for (guint i = 0; i < G_N_ELEMENTS (per_aead); i++)
    for (guint format = KOERS_FORMAT_SIPHASH_MASK; format <= KOERS_FORMAT_AES_GCM; format++)
      {
        g_autofree char *path = g_strdup_printf ("/vault/cipher/%s/format%u", per_aead[i].name, format);

        if (koers_cipher_format_is_usable (format))
          g_test_add_data_func (path, GUINT_TO_POINTER (format), per_aead[i].func);
      }
  if (koers_cipher_format_is_usable (KOERS_FORMAT_AES_GCM))
    {
      g_test_add_func ("/vault/cipher/vector/page1-aes", test_vector_page1_aes);
      g_test_add_func ("/vault/cipher/vector/page3-aes", test_vector_page3_aes);
      g_test_add_func ("/vault/cipher/aeads-differ", test_aeads_differ);
    }
  g_test_add_func ("/vault/cipher/vector/wal-mask-siphash", test_vector_wal_mask_siphash);
  g_test_add_func ("/vault/cipher/mask-formats-differ", test_mask_formats_differ);
  g_test_add_data_func ("/vault/cipher/mask-round-trips/format1",
                        GUINT_TO_POINTER (KOERS_FORMAT_BLAKE2B_MASK), test_mask_round_trips);
  g_test_add_data_func ("/vault/cipher/mask-round-trips/format2",
                        GUINT_TO_POINTER (KOERS_FORMAT_SIPHASH_MASK), test_mask_round_trips);
  return g_test_run ();
}
