#!/usr/bin/env bash
# Builds the Debian package from the distribution folder; run by Maven (profile deb, package phase).
#   build-deb.sh DIST_DIR MAVEN_VERSION OUTPUT_DIR
# Layout: /usr/share/deoss/{bin,lib,conf}, /usr/bin/deoss, /sbin/mount.deoss and
# /sbin/mount.fuse.deoss, /lib/systemd/system/*.service, /etc/deoss/deoss.env (a conffile).
set -euo pipefail
dist=$1
maven_version=$2
out=$3
here="$(cd "$(dirname "$0")" && pwd)"

# Debian versions sort "~" before anything: 0.1.0~snapshot comes before the release 0.1.0.
version=${maven_version/-SNAPSHOT/~snapshot}
root="$out/deb-root"
rm -rf "$root"
mkdir -p "$root/DEBIAN" "$root/usr/share/deoss" "$root/usr/bin" "$root/sbin" \
  "$root/lib/systemd/system" "$root/etc/deoss" "$root/usr/share/doc/deoss"

cp -r "$dist/bin" "$dist/lib" "$dist/conf" "$root/usr/share/deoss/"
cp "$dist/README.md" "$root/usr/share/deoss/README.md"
ln -s ../share/deoss/bin/deoss "$root/usr/bin/deoss"
# absolute: /sbin may be a link to /usr/sbin (merged /usr), where ../usr would miss
ln -s /usr/share/deoss/bin/mount.deoss "$root/sbin/mount.deoss"
ln -s mount.deoss "$root/sbin/mount.fuse.deoss"
cp "$dist"/conf/systemd/*.service "$root/lib/systemd/system/"
cp "$dist/conf/deoss.env" "$root/etc/deoss/deoss.env"
cp "$here/copyright" "$root/usr/share/doc/deoss/copyright"

find "$root" -type d -exec chmod 0755 {} +
find "$root/usr/share/deoss/lib" "$root/usr/share/deoss/conf" "$root/lib" "$root/etc" \
  "$root/usr/share/doc" -type f -exec chmod 0644 {} +
chmod 0755 "$root/usr/share/deoss/bin/"*

size_kib=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size_kib/" "$here/control" >"$root/DEBIAN/control"
printf '/etc/deoss/deoss.env\n' >"$root/DEBIAN/conffiles"
for script in postinst postrm; do
  install -m 0755 "$here/$script" "$root/DEBIAN/$script"
done

deb="$out/deoss_${version}_all.deb"
dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null
echo "[deb] built $deb"
