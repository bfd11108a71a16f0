#!/bin/sh
# Entrypoint of the local redis stand-in; follows the official redis image's docker-entrypoint.sh.
set -e

# first arg is `-f` or `--some-option`, or first arg is `something.conf`
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
	set -- redis-server "$@"
fi

# allow the container to be started with `--user`
if [ "$1" = 'redis-server' ] && [ "$(id -u)" = '0' ]; then
	find . \! -user redis -exec chown redis '{}' +
	if ! setpriv --reuid=redis --regid=redis --init-groups true 2>/dev/null; then
		echo "docker-entrypoint.sh: running as root but cannot switch to user redis" \
			"(CAP_SETUID/CAP_SETGID dropped?); run the container as user redis instead." >&2
		exit 1
	fi
	exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi

# set an appropriate umask (if one isn't set already)
um="$(umask)"
if [ "$um" = '0022' ]; then
	umask 0077
fi

if [ "$1" = 'redis-server' ]; then
	doProtectedMode=1
	configFile=
	if [ -f "$2" ]; then
		configFile="$2"
		if grep -q '^protected-mode' "$configFile"; then
			# if a config file is supplied and explicitly specifies "protected-mode", let it win
			doProtectedMode=
		fi
	fi
	if [ "$doProtectedMode" ]; then
		# if we don't have a config file or it doesn't set "protected-mode", turn protected mode off:
		# the container's network is the boundary and other containers must be able to connect
		shift # "redis-server"
		if [ "$configFile" ]; then
			shift
		fi
		set -- --protected-mode no "$@"
		if [ "$configFile" ]; then
			set -- "$configFile" "$@"
		fi
		set -- redis-server "$@" # redis-server [config file] --protected-mode no [other options]
	fi
fi

exec "$@"
