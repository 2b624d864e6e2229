#!/usr/bin/env bash
# Provisions a WildFly configured for Agentainer Flow.
#
#   provision.sh <server-dir> <artifacts-dir>
#
# <artifacts-dir> holds wildfly-dist-*.zip, eclipselink-*.jar and postgresql-*.jar (Maven copies
# them there from Maven Central: see pom.xml). The result is a WildFly in <server-dir> with the
# EclipseLink and PostgreSQL modules, the FlowDS datasource, the engine's executors and HTTP on
# FLOW_PORT. Running it again with the same inputs does nothing; changed inputs re-provision.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dest=${1:?usage: provision.sh <server-dir> <artifacts-dir>}
artifacts=${2:?usage: provision.sh <server-dir> <artifacts-dir>}

one() { # the single file in $artifacts matching a pattern
  local found=("$artifacts"/$1)
  [[ ${#found[@]} -eq 1 && -f ${found[0]} ]] || { echo "provision: expected one $1 in $artifacts" >&2; exit 1; }
  printf '%s\n' "${found[0]}"
}
dist=$(one 'wildfly-dist-*.zip')
eclipselink=$(one 'eclipselink-*.jar')
postgresql=$(one 'postgresql-*.jar')

stamp=$( { cat "$here/provision.sh" "$here/wildfly/configure.cli"; find "$here/wildfly/modules" -type f -exec cat {} +;
           basename "$dist"; basename "$eclipselink"; basename "$postgresql"; } | sha256sum | cut -d' ' -f1)
if [[ -f $dest/.flow-provisioned && $(cat "$dest/.flow-provisioned") == "$stamp" ]]; then
  exit 0
fi

echo "provision: WildFly from $(basename "$dist") into $dest"
mkdir -p "$(dirname "$dest")"
work=$(mktemp -d "$(dirname "$dest")/.provision.XXXXXX")
trap 'rm -rf "$work"' EXIT
unzip -q "$dist" -d "$work"
home=$(echo "$work"/wildfly-*)

# EclipseLink: WildFly's module carries only the integration jar; add the provider itself.
el_module=$home/modules/system/layers/base/org/eclipse/persistence/main
jipijapa=$(cd "$el_module" && ls jipijapa-eclipselink-*.jar)
cp "$eclipselink" "$el_module/"
sed -e "s/@JIPIJAPA_JAR@/$jipijapa/" -e "s/@ECLIPSELINK_JAR@/$(basename "$eclipselink")/" \
  "$here/wildfly/modules/org/eclipse/persistence/main/module.xml" > "$el_module/module.xml"

# PostgreSQL driver as a module of its own.
pg_module=$home/modules/org/postgresql/main
mkdir -p "$pg_module"
cp "$postgresql" "$pg_module/"
sed -e "s/@POSTGRESQL_JAR@/$(basename "$postgresql")/" \
  "$here/wildfly/modules/org/postgresql/main/module.xml" > "$pg_module/module.xml"

JAVA_OPTS="-Xmx256m" "$home/bin/jboss-cli.sh" --file="$here/wildfly/configure.cli" > "$work/cli.log" 2>&1 || {
  cat "$work/cli.log" >&2; echo "provision: configuring WildFly failed" >&2; exit 1; }
rm -rf "$home/standalone/configuration/standalone_xml_history" "$home/standalone/log" "$home/standalone/data" "$home/standalone/tmp"
echo "$stamp" > "$home/.flow-provisioned"

rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$home" "$dest"
echo "provision: ready in $dest"
