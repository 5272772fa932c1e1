#!/usr/bin/env bash
# Submits the idgraph nightly job with spark-submit; the command a scheduler (cron, an Airflow
# BashOperator, a Kubernetes CronJob) runs. Exits with the job's code, so the scheduler can branch:
#
#   0  ok: the night was written (or there was nothing new to read)
#   1  run failed: a bug, a full disk, lost executors, a publish gate that stopped the night, or
#      spark-submit itself failing (any other code of spark-submit is reported as 1)
#   2  bad config or input: a missing or invalid config, an unset ${ENV} in it, no hashing key, a
#      missing source file, or a bad setting of this script; nothing was written, a retry will not help
#   3  locked: another run holds <output>/_idgraph.lock; nothing was written, retry later
#
# In YARN or Kubernetes cluster deploy mode spark-submit only reports whether the application
# succeeded: 0 or 1, never 2 or 3 (see README, "Running on a cluster").
#
# Settings, from the environment:
#   SPARK_HOME          Spark 4.1 (Scala 2.13). Its bin/spark-submit is used when present; a bare jars/
#                       folder (target/spark-home from mvn package) is run as
#                       java -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit.
#                       Default: the repository's target/spark-home, when it exists.
#   SPARK_MASTER        --master (spark://host:7077, yarn, k8s://https://...). Default: spark.master of
#                       the properties file, else spark-submit's own default (local[*]).
#   SPARK_DEPLOY_MODE   --deploy-mode client | cluster. Default: client.
#   IDGRAPH_JAR         the application jar, a path or a URI (local:///opt/idgraph/idgraph.jar inside a
#                       container image). Default: target/idgraph.jar of this repository.
#   IDGRAPH_CONFIG      the job config (read by the driver). Default: jobs/cluster.yaml beside this script.
#   IDGRAPH_INPUT       --input, the root that relative source paths resolve against. Default: none
#                       (the job's current folder).
#   IDGRAPH_OUTPUT      --output, the folder or URI of the Delta tables. Required.
#   IDGRAPH_PROPERTIES  --properties-file. Default: jobs/cluster.properties beside this script; set it to
#                       the empty string for none.
#   IDGRAPH_DRIVER_MEMORY  driver heap (--driver-memory; -Xmx of the driver when run through java).
#                       Default: spark.driver.memory of the properties file, else 1g.
#   IDGRAPH_EXTRA_JAVA_OPTS  JVM options added after the Java 17 flags, for driver and executors.
#   IDGRAPH_SUBMIT_ARGS more spark-submit options, split on spaces (e.g. "--files /etc/idgraph/key").
# Arguments are passed on to `idgraph run` (e.g. --full-rebuild, --skip-publish-gate).
#
# Example: SPARK_HOME=/opt/spark SPARK_MASTER=spark://spark-master:7077 \
#   IDGRAPH_JAR=/opt/idgraph/idgraph.jar IDGRAPH_INPUT=hdfs:///exports/idgraph \
#   IDGRAPH_OUTPUT=hdfs:///lake/idgraph IDGRAPH_HASH_KEY=... jobs/submit-nightly.sh
set -uo pipefail

jobs_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly BAD_CONFIG_OR_INPUT=2

# Spark's own launcher passes these on Java 17 (org.apache.spark.launcher.JavaModuleOptions); without
# them Kryo (GraphX) and Spark's off-heap code fail. A copy of pom.xml's spark.java.opens, so that the
# script works from a distribution without the pom; SubmitNightlyScriptTest keeps the two equal.
IDGRAPH_JAVA_OPENS="-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true -Dio.netty.allocator.type=pooled -Dio.netty.handler.ssl.defaultEndpointVerificationAlgorithm=NONE --enable-native-access=ALL-UNNAMED"

fail() {
  echo "submit-nightly: $*" >&2
  exit "$BAD_CONFIG_OR_INPUT"
}

if [ -z "${SPARK_HOME:-}" ] && [ -d "$jobs_dir/../target/spark-home/jars" ]; then
  SPARK_HOME="$(cd "$jobs_dir/../target/spark-home" && pwd)"
fi
[ -n "${SPARK_HOME:-}" ] || fail "set SPARK_HOME to a Spark 4.1 (Scala 2.13) installation"
jar="${IDGRAPH_JAR:-$jobs_dir/../target/idgraph.jar}"
config="${IDGRAPH_CONFIG:-$jobs_dir/cluster.yaml}"
properties="${IDGRAPH_PROPERTIES-$jobs_dir/cluster.properties}"
output="${IDGRAPH_OUTPUT:-}"
[ -n "$output" ] || fail "set IDGRAPH_OUTPUT to the folder or URI of the Delta tables"
case "$jar" in
  *:/*) ;; # a URI (local:///opt/idgraph/idgraph.jar in an image, hdfs://...): spark-submit resolves it
  *) [ -f "$jar" ] || fail "no application jar at $jar (set IDGRAPH_JAR; mvn -B package -DskipTests builds target/idgraph.jar)" ;;
esac
[ -z "$properties" ] || [ -f "$properties" ] || fail "no properties file at $properties (IDGRAPH_PROPERTIES)"

java_opts="$IDGRAPH_JAVA_OPENS ${IDGRAPH_EXTRA_JAVA_OPTS:-}"
submit=(
  --class io.idgraph.cli.IdgraphCli
  --deploy-mode "${SPARK_DEPLOY_MODE:-client}"
  --conf "spark.driver.extraJavaOptions=$java_opts"
  --conf "spark.executor.extraJavaOptions=$java_opts"
)
[ -z "${SPARK_MASTER:-}" ] || submit+=(--master "$SPARK_MASTER")
[ -z "$properties" ] || submit+=(--properties-file "$properties")
# shellcheck disable=SC2206 # split on purpose: a list of options in one variable
submit+=(${IDGRAPH_SUBMIT_ARGS:-})
run=(run --config "$config" --output "$output")
[ -z "${IDGRAPH_INPUT:-}" ] || run+=(--input "$IDGRAPH_INPUT")

driver_memory="${IDGRAPH_DRIVER_MEMORY:-}"
if [ -z "$driver_memory" ] && [ -n "$properties" ]; then
  driver_memory="$(sed -n 's/^[[:space:]]*spark\.driver\.memory[[:space:]=:]*\([^[:space:]]*\).*/\1/p' "$properties" | tail -n 1)"
fi

if [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  [ -z "$driver_memory" ] || submit+=(--driver-memory "$driver_memory")
  "$SPARK_HOME/bin/spark-submit" "${submit[@]}" "$jar" "${run[@]}" "$@"
elif [ -d "$SPARK_HOME/jars" ]; then
  # No launcher: this JVM is spark-submit and, in client mode, the driver, so it takes the driver's
  # flags and heap itself. conf/ comes first on the class path, as spark-class puts it.
  classpath="$SPARK_HOME/jars/*"
  [ ! -d "$SPARK_HOME/conf" ] || classpath="$SPARK_HOME/conf:$classpath"
  java="java"
  [ -z "${JAVA_HOME:-}" ] || java="$JAVA_HOME/bin/java"
  # shellcheck disable=SC2086 # the flags are a list of options
  SPARK_HOME="$SPARK_HOME" "$java" $java_opts -Xmx"${driver_memory:-1g}" -cp "$classpath" \
    org.apache.spark.deploy.SparkSubmit "${submit[@]}" "$jar" "${run[@]}" "$@"
else
  fail "SPARK_HOME=$SPARK_HOME has neither bin/spark-submit nor jars/"
fi
code=$?

case "$code" in
  0) meaning="ok" ;;
  1) meaning="run failed" ;;
  2) meaning="bad config or input; nothing was written" ;;
  3) meaning="locked: another run holds $output/_idgraph.lock; retry later" ;;
  *) meaning="spark-submit ended with code $code; reported as 1, run failed"; code=1 ;;
esac
echo "submit-nightly: exit $code ($meaning)" >&2
exit "$code"
