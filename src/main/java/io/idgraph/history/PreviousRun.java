package io.idgraph.history;

import static org.apache.spark.sql.functions.*;

import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What the previous night published, read from its own output tables: the state that lets tonight
 * keep profile ids. Reads are lazy and columnar; nothing is collected.
 *
 * @param records (source, record_id, old_profile_id) of every record the previous night assigned
 * @param profiles (old_profile_id, state, first_seen) of every profile it published
 * @param present false on a first night (no previous tables); both Datasets are then empty
 * @param takenIds (old_profile_id) of every profile the previous night published, which a fresh id
 *     must avoid; null means those of {@code profiles}. Differs from them only when {@link
 *     #restrictedTo} narrowed the night to the profiles an incremental night recomputes.
 */
public record PreviousRun(
    Dataset<Row> records, Dataset<Row> profiles, boolean present, Dataset<Row> takenIds) {
  public PreviousRun(Dataset<Row> records, Dataset<Row> profiles, boolean present) {
    this(records, profiles, present, null);
  }

  /** Ids no new profile may take: every id the previous night published (old_profile_id). */
  public Dataset<Row> takenIds() {
    return takenIds != null ? takenIds : profiles.select(col(Cols.OLD_PROFILE_ID));
  }

  /**
   * The previous night as far as tonight's scope sees it: the records and profiles of the {@code
   * affected} profiles (column old_profile_id) only, so overlap, survivors and deleted profiles are
   * judged within the scope; the ids of all previous profiles stay taken.
   */
  public PreviousRun restrictedTo(Dataset<Row> affected) {
    Dataset<Row> ids = affected.select(col(Cols.OLD_PROFILE_ID)).distinct();
    return new PreviousRun(
        records.join(ids, Cols.OLD_PROFILE_ID, "left_semi"),
        profiles.join(ids, Cols.OLD_PROFILE_ID, "left_semi"),
        present,
        takenIds());
  }

  static final StructType RECORDS =
      new StructType()
          .add(Cols.SOURCE, DataTypes.StringType)
          .add(Cols.RECORD_ID, DataTypes.StringType)
          .add(Cols.OLD_PROFILE_ID, DataTypes.StringType);
  static final StructType PROFILES =
      new StructType()
          .add(Cols.OLD_PROFILE_ID, DataTypes.StringType)
          .add(Cols.STATE, DataTypes.StringType)
          .add(Cols.FIRST_SEEN, DataTypes.TimestampType);

  public static PreviousRun read(SparkSession spark, String outputRoot) {
    var records = OutputTables.read(spark, outputRoot, OutputTables.RECORD_PROFILES);
    var profiles = OutputTables.read(spark, outputRoot, OutputTables.PROFILES);
    return records.isPresent() && profiles.isPresent()
        ? of(records.get(), profiles.get())
        : none(spark);
  }

  /** The previous night from its record_profiles and profiles tables (as written by the run). */
  public static PreviousRun of(Dataset<Row> recordProfiles, Dataset<Row> profiles) {
    return new PreviousRun(
        recordProfiles.select(
            col(Cols.SOURCE), col(Cols.RECORD_ID), col(Cols.PROFILE_ID).as(Cols.OLD_PROFILE_ID)),
        profiles.select(
            col(Cols.PROFILE_ID).as(Cols.OLD_PROFILE_ID), col(Cols.STATE), col(Cols.FIRST_SEEN)),
        true);
  }

  public static PreviousRun none(SparkSession spark) {
    return new PreviousRun(
        spark.createDataFrame(java.util.List.of(), RECORDS),
        spark.createDataFrame(java.util.List.of(), PROFILES),
        false);
  }
}
