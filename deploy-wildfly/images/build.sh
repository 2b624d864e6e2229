#!/usr/bin/env bash
# Builds the local agent images (there is no registry here: nothing is pulled).
#
#   agentainer/example-agent:latest  the SDK's example agent: a jlink'ed JRE, the glibc libraries it
#                                    links, and the shaded agent jar, in a rootfs from scratch
#   agentainer/busybox-agent:latest  busybox-static and a shell script speaking the same protocol
#
# Usage: build.sh [--force] [--no-check] [example-agent|busybox-agent]...
#        build.sh [--force] --jar JAR --image NAME [--workflow CLASS]...
#   --force     rebuild even when the image matches its inputs (the fingerprint label)
#   --no-check  skip the smoke check (check.sh --quick) after building
#   --jar       a user's agent: a jar holding the SDK and its workflow classes (a shaded jar), built
#               into image NAME the way the example agent is (jlink'ed JRE, from scratch); with
#               --workflow, the SDK's WorkflowAgent serves those classes, else the jar's Main-Class runs
# Called by `./deploy-wildfly/flow images`, which starts a Docker engine first.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$here/target
# shellcheck source=lib.sh
. "$here/lib.sh"

example_image=agentainer/example-agent:latest
busybox_image=agentainer/busybox-agent:latest
label=io.agentainer.flow.fingerprint

force=false
check=true
targets=()
user_jar=""
user_image=""
workflows=()
while (($#)); do
  case $1 in
    --force) force=true ;;
    --no-check) check=false ;;
    --jar) (($# > 1)) || die "--jar needs a path"; user_jar=$2; shift ;;
    --image) (($# > 1)) || die "--image needs a name"; user_image=$2; shift ;;
    --workflow) (($# > 1)) || die "--workflow needs a class name"; workflows+=("$2"); shift ;;
    example-agent | busybox-agent) targets+=("$1") ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done
if [[ -n $user_jar || -n $user_image ]]; then
  [[ -f $user_jar ]] || die "--jar: no file '$user_jar'"
  [[ $user_image =~ ^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9._-]+)?$ ]] ||
    die "--image: '$user_image' is not an image name (like acme/etl-agent:latest)"
  for w in "${workflows[@]}"; do
    [[ $w =~ ^[A-Za-z_$][A-Za-z0-9_$.]*$ ]] || die "--workflow: '$w' is not a class name"
  done
  ((${#targets[@]} == 0)) || die "--jar builds one image: leave out ${targets[*]}"
fi
[[ -n $user_jar ]] || ((${#targets[@]})) || targets=(example-agent busybox-agent)

command -v docker >/dev/null || die "docker: not installed (./deploy-wildfly/flow images installs and starts an engine)"
docker info >/dev/null 2>&1 || die "docker: no engine answers (start one: dockerd --bridge=none --iptables=false &)"
mkdir -p "$work"

# ---- helpers --------------------------------------------------------------------------------

fingerprint() { cat "$@" | sha256sum | cut -c1-16; }

# what a jar holds (entry sizes, CRCs and names), not when it was built
jar_content() {
  if command -v unzip >/dev/null; then
    unzip -v "$1" | awk 'NF == 8 && length($7) == 8 && $7 ~ /^[0-9a-f]+$/ { print $1, $7, $8 }'
  else
    cat "$1"
  fi
}

up_to_date() { # up_to_date IMAGE FINGERPRINT
  ! $force && [[ $(docker image inspect -f "{{index .Config.Labels \"$label\"}}" "$1" 2>/dev/null) == "$2" ]]
}

# import_rootfs IMAGE ROOTFS FINGERPRINT --change ...: a root-owned tarball through docker import
import_rootfs() {
  local image=$1 rootfs=$2 print=$3 old tar
  shift 3
  tar=$work/${image//[\/:]/_}.tar
  tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -cf "$tar" .
  old=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
  docker import "$@" --change "LABEL $label=$print" "$tar" "$image" >/dev/null ||
    die "$image: docker import failed"
  rm -f "$tar"
  local new
  new=$(docker image inspect -f '{{.Id}}' "$image")
  if [[ -n $old && $old != "$new" ]]; then
    docker rmi "$old" >/dev/null 2>&1 || true # still used by a container: leave it
  fi
}

# ---- the example agent ------------------------------------------------------------------------

agent_jar() {
  local jar
  jar=$(ls -t "$root"/src/sdk/target/agentainer-flow-sdk-*-agent.jar 2>/dev/null | head -1 || true)
  if [[ -z $jar ]] || [[ -n $(find "$root/src/sdk/src/main" "$root/src/sdk/pom.xml" -newer "$jar" -type f 2>/dev/null | head -1) ]]; then
    command -v mvn >/dev/null || die "mvn: not installed, and the agent jar needs building"
    say "building the SDK agent jar (mvn -pl src/sdk -am package -DskipTests)" >&2
    (cd "$root" && mvn -B -q -pl src/sdk -am package -DskipTests) >&2 ||
      die "the SDK agent jar did not build (run: mvn -B -pl src/sdk -am package -DskipTests)"
    jar=$(ls -t "$root"/src/sdk/target/agentainer-flow-sdk-*-agent.jar 2>/dev/null | head -1 || true)
    [[ -n $jar ]] || die "the build made no src/sdk/target/agentainer-flow-sdk-*-agent.jar"
  fi
  echo "$jar"
}

java_home() {
  local home=${JAVA_HOME:-}
  if [[ -z $home ]]; then
    command -v java >/dev/null || die "java: not installed (a JDK 17+ with jlink and jmods is needed)"
    home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  fi
  [[ -x $home/bin/jlink && -x $home/bin/jdeps ]] || die "$home: no jlink/jdeps (a full JDK is needed, not a JRE)"
  [[ -d $home/jmods ]] || die "$home/jmods: missing; jlink needs the JDK's jmods (Debian: apt-get install openjdk-17-jmods)"
  echo "$home"
}

build_example_agent() {
  build_java_agent "$example_image" "$(agent_jar)" '"-jar","/agent.jar"'
}

# build_java_agent IMAGE JAR ENTRY: a jlink'ed JRE, the libraries it links and JAR as /agent.jar;
# ENTRY is the JSON of the java arguments after the JVM options
build_java_agent() {
  local image=$1 jar=$2 entry=$3 home release modules print dir rootfs jre lib
  home=$(java_home)
  release=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  print=$(fingerprint <(jar_content "$jar") <(echo "$entry") "$here/build.sh" "$home/release")
  if up_to_date "$image" "$print"; then
    say "$image is up to date ($(human "$(image_size "$image")"))"
    return
  fi

  # Modules: what jdeps finds, plus the HTTP server and client, minus the modules Jackson only
  # `requires static` (java.desktop for java.beans, java.sql for java.sql dates: about 14 MB),
  # plus java.logging, which Jackson requires. FLOW_AGENT_JRE_MODULES overrides the whole list.
  modules=${FLOW_AGENT_JRE_MODULES:-}
  if [[ -z $modules ]]; then
    modules=$("$home/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release "$release" "$jar") ||
      die "jdeps failed on $jar"
    modules=$(tr ',' '\n' <<<"$modules,jdk.httpserver,java.net.http,java.logging" |
      grep -vxE 'java\.desktop|java\.sql' | sort -u | paste -sd, -)
  fi

  dir=$work/${image//[\/:]/_}
  rootfs=$dir/rootfs
  jre=$rootfs/opt/java
  rm -rf "$dir"
  mkdir -p "$rootfs/tmp" "$rootfs/opt" "$rootfs/etc"
  chmod 1777 "$rootfs/tmp"
  say "jlink $modules"
  "$home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --compress=2 --generate-cds-archive --output "$jre" >"$dir/jlink.log" 2>&1 ||
    die "jlink failed: $(tail -3 "$dir/jlink.log")"
  rm -f "$jre/lib/server/classes_nocoops.jsa" # only for heaps above 32 GB
  if command -v strip >/dev/null; then          # Debian's libjvm.so keeps its symbol table
    find "$jre" -name '*.so' -exec chmod u+w {} + -exec strip --strip-unneeded {} +
  fi

  # The glibc libraries the JRE links, at their own paths, and the dynamic loader.
  local libs
  libs=$({ ldd "$jre/bin/java"; find "$jre/lib" -name '*.so' -exec ldd {} \;; } 2>/dev/null |
    awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $2 ~ /^\(/ { print $1 }' |
    grep -v "^$rootfs" | sort -u)
  [[ -n $libs ]] || die "ldd found no libraries for $jre/bin/java"
  # name lookups ("localhost" in FLOW_API) need the NSS files module and a nsswitch.conf
  for lib in $libs $(ls /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2 2>/dev/null); do
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
  done
  printf 'hosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
  printf 'root:x:0:0:root:/tmp:/sbin/nologin\n' >"$rootfs/etc/passwd"
  cp "$jar" "$rootfs/agent.jar"
  "$jre/bin/java" -version >/dev/null 2>&1 || die "the jlink'ed java does not run on this host"

  import_rootfs "$image" "$rootfs" "$print" \
    --change 'ENTRYPOINT ["/opt/java/bin/java","-XX:+UseSerialGC","-XX:TieredStopAtLevel=1","-Xshare:auto","-XX:-UsePerfData","-Dsun.net.httpserver.nodelay=true",'"$entry"']' \
    --change 'ENV JAVA_HOME=/opt/java PATH=/opt/java/bin FLOW_AGENT_PORT=8080' \
    --change 'WORKDIR /tmp'
  say "built $image: $(human "$(image_size "$image")") (JRE $(du -sh "$jre" | cut -f1), agent jar $(du -sh "$jar" | cut -f1), $(wc -w <<<"$libs") system libraries)"
}

# ---- the busybox agent ------------------------------------------------------------------------

is_static() { [[ -x $1 ]] && [[ $(LC_ALL=C ldd "$1" 2>&1 || true) == *"not a dynamic executable"* ]]; }

static_busybox() {
  local bb=/bin/busybox
  if ! is_static "$bb"; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
      say "installing busybox-static (apt-get)" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q busybox-static >&2 ||
        die "apt-get install busybox-static failed"
    fi
  fi
  is_static "$bb" ||
    die "$bb: a static busybox is needed (Debian: apt-get install busybox-static)"
  echo "$bb"
}

build_busybox_agent() {
  local bb print dir rootfs
  bb=$(static_busybox)
  print=$(fingerprint "$bb" "$here/build.sh" "$here"/busybox-agent/*)
  if up_to_date "$busybox_image" "$print"; then
    say "$busybox_image is up to date ($(human "$(image_size "$busybox_image")"))"
    return
  fi
  dir=$work/busybox-agent
  rootfs=$dir/rootfs
  rm -rf "$dir"
  mkdir -p "$rootfs/bin" "$rootfs/agent" "$rootfs/tmp"
  chmod 1777 "$rootfs/tmp"
  cp "$bb" "$rootfs/bin/busybox"
  for applet in $("$bb" --list); do
    [[ $applet == busybox ]] || ln -s busybox "$rootfs/bin/$applet"
  done
  install -m 755 "$here/busybox-agent/serve.sh" "$here/busybox-agent/handle.sh" "$rootfs/agent/"
  install -m 644 "$here/busybox-agent/json.awk" "$rootfs/agent/"
  import_rootfs "$busybox_image" "$rootfs" "$print" \
    --change 'ENTRYPOINT ["/bin/busybox","sh","/agent/serve.sh"]' \
    --change 'ENV PATH=/bin FLOW_AGENT_PORT=8080' \
    --change 'WORKDIR /tmp'
  say "built $busybox_image: $(human "$(image_size "$busybox_image")")"
}

for target in "${targets[@]}"; do
  "build_${target//-/_}"
done

if [[ -n $user_jar ]]; then
  if ((${#workflows[@]})); then
    entry='"-cp","/agent.jar","io.agentainer.flow.sdk.workflow.WorkflowAgent"'
    for w in "${workflows[@]}"; do entry+=",\"$w\""; done
  else
    entry='"-jar","/agent.jar"'
  fi
  build_java_agent "$user_image" "$(readlink -f "$user_jar")" "$entry"
  if $check; then
    "$here/check.sh" --quick --health-only "$user_image" || die "$user_image: the agent did not answer /health"
  fi
  exit 0
fi

if $check; then
  images=()
  for target in "${targets[@]}"; do images+=("agentainer/$target:latest"); done
  "$here/check.sh" --quick "${images[@]}" || die "the smoke check failed (run: $here/check.sh)"
fi
