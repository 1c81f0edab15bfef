"""python manage.py hello -n NAME | runserver"""
import click
from flask.cli import FlaskGroup
from flask import Flask


def create_app():
    return Flask(__name__)


cli = FlaskGroup(create_app=create_app)


@cli.command('hello')
@click.option('-n', '--name', default='world', help='who to greet')
def hello(name):
    print('Hello, %s' % name)


if __name__ == '__main__':
    cli()
