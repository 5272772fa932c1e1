package io.idgraph.cluster;

import io.idgraph.schema.Cols;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.graphx.Edge;
import org.apache.spark.graphx.Graph;
import org.apache.spark.graphx.lib.ConnectedComponents$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Connected components with GraphX's Pregel implementation: one superstep per unit of graph diameter,
 * so long chains are slow. Distributed throughout; nothing reaches the driver. The graph is unpersisted
 * once the components have been materialized by the caller (see {@link #release()}).
 */
public final class GraphXConnectedComponents implements ConnectedComponents {
  private static final StructType RESULT =
      new StructType()
          .add(Cols.VERTEX_ID, DataTypes.LongType, false)
          .add(Cols.COMPONENT, DataTypes.LongType, false);
  private static final ClassTag<Object> OBJECT = ClassTag$.MODULE$.apply(Object.class);
  private static final ClassTag<Byte> BYTE = ClassTag$.MODULE$.apply(Byte.class);

  private Graph<Object, Byte> graph;
  private Graph<Object, Byte> result;

  @Override
  public Dataset<Row> components(Dataset<Row> edges) {
    SparkSession spark = edges.sparkSession();
    JavaRDD<Edge<Byte>> edgeRdd =
        edges
            .select(Cols.SRC, Cols.DST)
            .javaRDD()
            .map(r -> new Edge<>(r.getLong(0), r.getLong(1), (byte) 0));
    graph =
        Graph.fromEdges(
            edgeRdd.rdd(),
            (Object) 0L,
            StorageLevel.MEMORY_AND_DISK(),
            StorageLevel.MEMORY_AND_DISK(),
            OBJECT,
            BYTE);
    result = ConnectedComponents$.MODULE$.run(graph, Integer.MAX_VALUE, OBJECT, BYTE);
    JavaRDD<Row> rows =
        result
            .vertices()
            .toJavaRDD()
            .map(v -> RowFactory.create((Long) v._1(), (Long) v._2()));
    return spark.createDataFrame(rows, RESULT);
  }

  @Override
  public void release() {
    if (result != null) {
      result.unpersist(false);
    }
    if (graph != null) {
      graph.unpersist(false);
    }
  }
}
