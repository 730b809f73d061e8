from airflow import DAG
from airflow.operators.bash import BashOperator

with DAG(dag_id="demo", schedule=None) as dag:
    extract = BashOperator(task_id="extract", bash_command="wurzel run extract"
