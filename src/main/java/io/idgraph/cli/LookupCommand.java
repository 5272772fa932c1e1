package io.idgraph.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.idgraph.config.BadInputException;
import io.idgraph.config.HashKeys;
import io.idgraph.config.LoadedConfig;
import io.idgraph.config.SourceConfig;
import io.idgraph.inspect.LookupKey;
import io.idgraph.inspect.LookupResult;
import io.idgraph.inspect.LookupText;
import io.idgraph.inspect.OutputCatalog;
import io.idgraph.inspect.ProfileLookup;
import io.idgraph.normalize.EmailOptions;
import io.idgraph.normalize.IdType;
import io.idgraph.normalize.IdentifierHasher;
import io.idgraph.normalize.IdentifierNormalizer;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code idgraph lookup}: the profile holding an email, phone or user id, or a profile by id, with
 * its identifiers, traits and their provenance, merge history and records by source. The value is
 * normalized and hashed with the job's config and key exactly as the run does it; only the value the
 * user typed (normalized) is ever printed, every other identifier as its hash. See {@link
 * ProfileLookup}.
 */
@Command(
    name = "lookup",
    mixinStandardHelpOptions = true,
    description = {
      "Show the profile that holds an identifier (or a profile by id): state, identifiers (hashed),"
          + " traits and the record each came from, merge history, old ids it absorbed, records by"
          + " source.",
      "Give exactly one of --email, --phone, --user-id, --profile-id. Values are normalized and"
          + " hashed like the nightly job does, with --config's key (IDGRAPH_HASH_KEY wins, as for"
          + " run).",
      "Exit codes: 0 when the answer is printed, including 'no profile holds it' (an identifier"
          + " no record carries is an answer, not an error); 2 for an invalid value, a missing"
          + " table or config, or a --profile-id no run ever wrote (or whose records are gone)."
    })
public final class LookupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin OutputOptions options;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Selector selector;

  static final class Selector {
    @Option(names = "--email", paramLabel = "EMAIL", description = "An email address.")
    String email;

    @Option(
        names = "--phone",
        paramLabel = "PHONE",
        description = "A phone number: +country code, or national with --region.")
    String phone;

    @Option(names = "--user-id", paramLabel = "ID", description = "A user id (trimmed, exact).")
    String userId;

    @Option(
        names = "--profile-id",
        paramLabel = "ID",
        description =
            "A profile id; an old id that a run merged into another is followed to it.")
    String profileId;
  }

  @Option(
      names = "--region",
      paramLabel = "CC",
      description =
          "With --phone: ISO region to read a national number in (default: the first source's"
              + " default_region in --config; none: national numbers need --region).")
  String region;

  @Option(names = "--json", description = "Print the answer as JSON instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (region != null && selector.phone == null) {
      throw new ParameterException(spec.commandLine(), "--region goes with --phone only");
    }
    LookupKey key = selector.profileId == null ? key() : null;
    OutputCatalog catalog = OutputCatalog.open(options.spark("lookup"), options.outputRoot());
    ProfileLookup lookup = new ProfileLookup(catalog);
    LookupResult result =
        key == null ? lookup.byProfileId(selector.profileId.strip()) : lookup.byIdentifier(key);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
    } else {
      out.print(LookupText.format(result));
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** The identifier given, normalized and hashed as the run would (before Spark starts). */
  private LookupKey key() {
    LoadedConfig config =
        options.requiredConfig("to hash --email, --phone or --user-id with the job's key");
    IdentifierNormalizer normalizer =
        new IdentifierNormalizer(new EmailOptions(config.job().normalize().emailStripPlusTag()));
    IdentifierHasher hasher =
        new IdentifierHasher(HashKeys.resolve(config, System.getenv()).bytes());
    if (selector.email != null) {
      return LookupKey.of(IdType.EMAIL, selector.email, null, normalizer, hasher);
    }
    if (selector.phone != null) {
      return LookupKey.of(IdType.PHONE, selector.phone, region(config), normalizer, hasher);
    }
    return LookupKey.of(IdType.USER_ID, selector.userId, null, normalizer, hasher);
  }

  /** --region, checked; else the first source's default_region (as block does); else none. */
  private String region(LoadedConfig config) {
    if (region == null) {
      return config.job().sources().stream()
          .map(SourceConfig::defaultRegion)
          .filter(Objects::nonNull)
          .findFirst()
          .orElse(null);
    }
    String code = region.strip().toUpperCase(Locale.ROOT);
    if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(code)) {
      throw new BadInputException(
          "--region '" + region + "' is not an ISO 3166 alpha-2 region code (e.g. US, DE, GB)");
    }
    return code;
  }
}
