# Sourced by the other scripts: selects the newest JDK >= 21 under /usr/lib/jvm (the build targets Java 21 and
# uses the JDK 25 on these machines) and exports JAVA_HOME and PATH. Fails loudly when there is none.
select_jdk() {
    local best="" best_version=0 dir version
    for dir in /usr/lib/jvm/*/; do
        dir=${dir%/}
        [ -x "$dir/bin/javac" ] || continue
        version=$("$dir/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
        version=${version%%.*}
        case "$version" in ''|*[!0-9]*) continue ;; esac
        if [ "$version" -ge 21 ] && [ "$version" -gt "$best_version" ]; then
            best=$dir
            best_version=$version
        fi
    done
    if [ -z "$best" ]; then
        echo "error: no JDK 21 or newer under /usr/lib/jvm (found: $(ls /usr/lib/jvm 2>/dev/null | tr '\n' ' '))" >&2
        echo "       install one (for example Temurin 25) and run this again" >&2
        exit 1
    fi
    export JAVA_HOME=$best
    export PATH="$JAVA_HOME/bin:$PATH"
    echo "using JDK $best_version at $JAVA_HOME" >&2
}
select_jdk
