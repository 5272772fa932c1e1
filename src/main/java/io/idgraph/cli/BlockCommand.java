package io.idgraph.cli;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.idgraph.config.BadInputException;
import io.idgraph.config.HashKeys;
import io.idgraph.config.HashKeys.HashKey;
import io.idgraph.config.LoadedConfig;
import io.idgraph.config.SourceConfig;
import io.idgraph.normalize.EmailOptions;
import io.idgraph.normalize.IdType;
import io.idgraph.normalize.IdentifierHasher;
import io.idgraph.normalize.IdentifierNormalizer;
import io.idgraph.ops.BlockTarget;
import io.idgraph.ops.ManualOperation;
import io.idgraph.ops.ManualOperations;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code idgraph block}: records that an identifier links nothing from the next run on. A raw value
 * is normalized and hashed here with the job's key and normalize options, exactly as the run does,
 * and only its hash is recorded.
 */
@Command(
    name = "block",
    mixinStandardHelpOptions = true,
    description =
        "Record that an identifier never links records (like rules.do_not_link), from the next"
            + " nightly run on. Give exactly one of --email, --phone, --user-id, --id-hash.")
public final class BlockCommand implements Callable<Integer> {
  /**
   * Region for national phone numbers when neither --region nor any source's default_region is set.
   */
  static final String FALLBACK_REGION = "US";

  @Spec CommandSpec spec;

  @Mixin OperationOptions options;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Identifier identifier;

  static final class Identifier {
    @Option(names = "--email", paramLabel = "V", description = "An email address.")
    String email;

    @Option(names = "--phone", paramLabel = "V", description = "A phone number (see --region).")
    String phone;

    @Option(names = "--user-id", paramLabel = "V", description = "A user id.")
    String userId;

    @Option(
        names = "--id-hash",
        paramLabel = "H",
        description = "An id_hash (64 hex) of identity_links, of any linkable type.")
    String idHash;
  }

  @Option(
      names = "--id-type",
      paramLabel = "T",
      description = "With --id-hash: its type (default: looked up in identity_links).")
  String idType;

  @Option(
      names = "--region",
      paramLabel = "CC",
      description =
          "With --phone: ISO region for a national number (default: the first source's"
              + " default_region, else US).")
  String region;

  @Override
  public Integer call() {
    if (idType != null && identifier.idHash == null) {
      throw new ParameterException(spec.commandLine(), "--id-type goes with --id-hash only");
    }
    if (region != null && identifier.phone == null) {
      throw new ParameterException(spec.commandLine(), "--region goes with --phone only");
    }
    options.audit();
    LoadedConfig loaded = options.config();
    String type;
    String hash;
    if (identifier.idHash != null) {
      type = idType == null ? null : BlockTarget.checkedType(idType);
      hash = BlockTarget.checkedHash(identifier.idHash);
    } else {
      BlockTarget target = hashValue(loaded);
      type = target.idType();
      hash = target.idHash();
    }
    return OperationRecorder.record(
        spec.commandLine().getOut(),
        options,
        ManualOperations.BLOCK,
        (requests, audit) -> {
          ManualOperation op = requests.block(type, hash, audit);
          if (!requests.seen(op.idType(), op.idHash())) {
            spec.commandLine()
                .getErr()
                .println(
                    "idgraph: note: the last run saw no such "
                        + op.idType()
                        + " (identity_links); recorded anyway, in case it appears later. If it"
                        + " should be there, check that "
                        + HashKeys.ENV_VAR
                        + " or hashing.key_file is the nightly job's.");
          }
          return op;
        });
  }

  private BlockTarget hashValue(LoadedConfig loaded) {
    IdentifierNormalizer normalizer =
        new IdentifierNormalizer(new EmailOptions(loaded.job().normalize().emailStripPlusTag()));
    HashKey key = HashKeys.resolve(loaded, System.getenv());
    if (key.demo()) {
      spec.commandLine()
          .getErr()
          .println("idgraph: warning: hashing with the public demo key from " + key.origin());
    }
    IdentifierHasher hasher = new IdentifierHasher(key.bytes());
    if (identifier.email != null) {
      return BlockTarget.ofValue(IdType.EMAIL, identifier.email, null, normalizer, hasher);
    }
    if (identifier.phone != null) {
      return BlockTarget.ofValue(
          IdType.PHONE, identifier.phone, region(loaded), normalizer, hasher);
    }
    return BlockTarget.ofValue(IdType.USER_ID, identifier.userId, null, normalizer, hasher);
  }

  private String region(LoadedConfig loaded) {
    if (region == null) {
      return loaded.job().sources().stream()
          .map(SourceConfig::defaultRegion)
          .filter(r -> r != null)
          .findFirst()
          .orElse(FALLBACK_REGION);
    }
    String code = region.strip().toUpperCase(Locale.ROOT);
    if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(code)) {
      throw new BadInputException(
          "--region '" + region + "' is not an ISO 3166 alpha-2 region code (e.g. US, DE, GB)");
    }
    return code;
  }
}
